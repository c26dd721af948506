// Shows whether the server's dependencies are ready, from GET /ready.
const status = document.getElementById('status');
for (const element of document.querySelectorAll('.origin')) element.textContent = window.location.origin;

async function refresh() {
  try {
    const response = await fetch('/ready');
    const body = await response.json();
    const parts = Object.entries(body.checks).map(([name, check]) => `${name} (${check.kind}): ${check.status}`);
    status.textContent = `${body.status === 'ok' ? 'ready' : 'not ready'} — ${parts.join(', ')}`;
    status.dataset.state = body.status;
  } catch {
    status.textContent = 'the server does not answer';
    status.dataset.state = 'error';
  }
}

refresh();
setInterval(refresh, 5000);
