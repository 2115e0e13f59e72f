// paywall dashboard: small progressive enhancements. Every page works without this file.
// - forms with data-confirm ask before they submit;
// - a broadcast's page (#broadcast[data-broadcast-id]) follows its progress from
//   GET /api/broadcasts/:id every second until it is done or failed.
(function () {
  'use strict';

  var POLL_MS = 1000;
  var LIVE = { queued: true, running: true };
  var TONES = { done: 'ok', running: 'ok', queued: 'warn', failed: 'bad' };
  var numbers = new Intl.NumberFormat('en-US');

  function confirmForms() {
    document.addEventListener('submit', function (event) {
      var form = event.target;
      var submitter = event.submitter;
      var message = (submitter && submitter.getAttribute('data-confirm')) || (form && form.getAttribute && form.getAttribute('data-confirm'));
      // The Preview button only shows the text: no need to ask.
      if (submitter && submitter.hasAttribute('formaction') && !submitter.getAttribute('data-confirm')) return;
      if (message && !window.confirm(message)) event.preventDefault();
    });
  }

  function percentOf(b) {
    if (b.status === 'done') return 100;
    if (!(b.total > 0)) return 0;
    return Math.min(100, Math.floor(((b.sent + b.failed) / b.total) * 100));
  }

  function setText(id, text) {
    var el = document.getElementById(id);
    if (el && el.textContent !== text) el.textContent = text;
  }

  function render(section, b) {
    section.setAttribute('data-status', b.status);
    setText('broadcast-total', numbers.format(b.total));
    setText('broadcast-sent', numbers.format(b.sent));
    setText('broadcast-failed', numbers.format(b.failed));
    var percent = percentOf(b);
    setText('broadcast-percent', percent + '%');
    var bar = document.getElementById('broadcast-progress');
    if (bar) {
      var max = Math.max(1, b.total);
      bar.max = max;
      bar.value = b.status === 'done' ? max : Math.min(b.total, b.sent + b.failed);
      bar.textContent = percent + '%';
    }
    var status = document.getElementById('broadcast-status');
    if (status) {
      var badge = document.createElement('span');
      badge.className = 'badge badge-' + (TONES[b.status] || 'neutral');
      badge.textContent = b.status;
      status.replaceChildren(badge);
    }
    if (!LIVE[b.status]) {
      var iso = new Date().toISOString();
      setText('broadcast-finished', iso.slice(0, 10) + ' ' + iso.slice(11, 16) + ' UTC');
      var notice = document.getElementById('runtime-down');
      if (notice) notice.remove();
    }
  }

  function followBroadcast() {
    var section = document.querySelector('[data-broadcast-id]');
    if (!section || !LIVE[section.getAttribute('data-status')]) return;
    var id = section.getAttribute('data-broadcast-id');
    var failures = 0;
    function tick() {
      fetch('/api/broadcasts/' + encodeURIComponent(id), { credentials: 'same-origin', headers: { accept: 'application/json' }, cache: 'no-store' })
        .then(function (res) {
          if (!res.ok) throw new Error('HTTP ' + res.status);
          return res.json();
        })
        .then(function (b) {
          failures = 0;
          render(section, b);
          if (LIVE[b.status]) window.setTimeout(tick, POLL_MS);
        })
        .catch(function () {
          // A blip (a restart, the database away): keep trying, more slowly.
          failures += 1;
          window.setTimeout(tick, Math.min(30000, POLL_MS * Math.pow(2, failures)));
        });
    }
    window.setTimeout(tick, POLL_MS);
  }

  function start() {
    confirmForms();
    followBroadcast();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
