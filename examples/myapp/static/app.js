// Shows what the JSON route says: a page, a script and an API served by one Tet app.
const target = document.querySelector('[data-status]');
const link = document.querySelector('a[href$="/api/status"]');
if (target && link) {
  fetch(link.href)
    .then((response) => response.json())
    .then((status) => {
      target.textContent = `Running release ${status.release}, up ${status.uptimeSeconds} s.`;
    })
    .catch(() => {
      target.textContent = 'Status unavailable.';
    });
}
