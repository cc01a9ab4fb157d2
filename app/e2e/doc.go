// Package e2e tests the web app, the Graph adapter and the fake Outlook together, as the
// program runs them: the commands an administrator and a script use (user add, property set,
// token create, serve with the adapter), HTTP on loopback, the real Graph SDK client, and the
// sync. It holds tests only; it is the one test package besides outlooksync's that builds
// the Graph SDK.
package e2e
