// While a sync runs, the sync page shows how many Outlook items it has read, and reloads
// itself when the cycle is over so the history shows what changed.
(function () {
  var box = document.getElementById('sync-progress');
  if (!box || box.dataset.running !== 'true') return;
  var items = document.getElementById('sync-items');
  function poll() {
    fetch('/api/v1/outlook/sync', {credentials: 'same-origin'})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (!s.running) { window.location.reload(); return; }
        if (items) items.textContent = String(s.itemsRead);
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
