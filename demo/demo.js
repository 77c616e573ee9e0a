// The demo page's controls: each button calls a method of <chat-widget>; every chat-* event is logged.
const widget = document.getElementById('chat');
const log = document.getElementById('log');

const EVENTS = [
  'chat-ready', 'chat-show', 'chat-hide', 'chat-request-close', 'chat-launcher-visibility', 'chat-unread-change',
  'chat-message-sent', 'chat-message-received', 'chat-session-loaded', 'chat-identify', 'chat-user-change',
  'chat-availability-change', 'chat-theme-change', 'chat-preview-show', 'chat-preview-hide', 'chat-error',
];

function write(text) {
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()}  ${text}`;
  log.prepend(li);
}

for (const name of EVENTS) {
  widget.addEventListener(name, (event) => write(`${name} ${JSON.stringify(event.detail ?? {})}`));
}

document.querySelector('.buttons').addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-call]');
  if (!button) return;
  const method = button.dataset.call;
  const raw = button.dataset.arg;
  const parsed = raw === undefined ? [] : JSON.parse(raw);
  const args = Array.isArray(parsed) && method !== 'setSegments' ? parsed : raw === undefined ? [] : [parsed];
  try {
    const result = await widget[method](...args);
    write(`${method}(${args.map((a) => JSON.stringify(a)).join(', ')})${result === undefined ? '' : ` → ${JSON.stringify(result)}`}`);
  } catch (error) {
    write(`${method} failed: ${error.message}`);
  }
});
