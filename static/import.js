// The import form with a progress indication: the file is sent with XMLHttpRequest so that
// the upload's progress shows, then "Importing…" until the answer page replaces this one.
// Without JavaScript the form posts as it is.
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  var status = document.getElementById("import-progress");
  if (!form || !status || !window.FormData || !window.XMLHttpRequest) {
    return;
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        status.textContent = "Uploading… " + Math.round((e.loaded / e.total) * 100) + "%";
      }
    });
    xhr.upload.addEventListener("load", function () {
      status.textContent = "Importing… (a file of thousands of events takes a few seconds)";
    });
    xhr.addEventListener("load", function () {
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () {
      status.textContent = "The file could not be sent. Try again.";
    });
    form.querySelector("button[type=submit]").disabled = true;
    xhr.send(new FormData(form));
  });
})();
