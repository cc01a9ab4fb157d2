// Package controlpanel is the Control Panel, where site administrators change site-wide
// settings: General Settings (General), System Properties (Properties), the Outlook
// connections (Connections), People, and Spaces (every space's publication into its
// members' Outlook). Each handler struct holds the stores it uses and the renderer and page
// frame from view; app's route table builds them and puts accounts.RequireAdmin on every
// route, so a member gets 403 for every page and every form.
package controlpanel
