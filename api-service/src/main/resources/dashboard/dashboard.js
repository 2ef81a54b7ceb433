// The Aurum Offload dashboard: reads the admin endpoints every two seconds and redraws a section only when its
// data changed, so rows (and their buttons) stay put between refreshes. The browser sends the admin's basic-auth
// credentials it asked for when this page loaded: the endpoints share the page's realm.
'use strict';

const REFRESH_MS = 2000;
const TASKS_SHOWN = 25;
const DEAD_LETTERS_SHOWN = 20;
const drawn = {};

async function fetchJson(path, options) {
  const response = await fetch(path, Object.assign({ headers: { Accept: 'application/json' } }, options));
  if (!response.ok && response.status !== 204) {
    let detail = response.statusText;
    try {
      detail = (await response.json()).detail || detail;
    } catch (ignored) {
      // Not a problem document: keep the status text.
    }
    throw new Error(response.status + ' ' + detail);
  }
  return response.status === 204 ? null : response.json();
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text === undefined || text === null ? '' : String(text);
  if (className) {
    td.className = className;
  }
  row.appendChild(td);
  return td;
}

function time(instant) {
  return instant ? new Date(instant).toLocaleTimeString() : '';
}

function button(label, className, action) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.className = className;
  b.addEventListener('click', () => action().then(refresh, showError));
  return b;
}

/** Redraws the body of a section's table when its rows changed since the last draw. */
function draw(section, items, emptyText, columns, fillRow) {
  const key = JSON.stringify(items);
  if (drawn[section] === key) {
    return;
  }
  drawn[section] = key;
  const body = document.querySelector('#' + section + ' tbody');
  body.replaceChildren();
  if (items.length === 0) {
    const row = body.insertRow();
    const td = cell(row, emptyText, 'empty');
    td.colSpan = columns;
    return;
  }
  items.forEach(item => fillRow(body.insertRow(), item));
}

function drawQueues(queues) {
  draw('queues', queues, 'no queues', 7, (row, q) => {
    row.dataset.queue = q.queue;
    cell(row, q.queue);
    ['pending', 'delayed', 'active', 'workers', 'dead_letters'].forEach(n => cell(row, q[n], 'number ' + n));
    const actions = cell(row, '');
    actions.appendChild(button('purge', 'purge', () => {
      if (!window.confirm('Purge the ' + q.pending + ' pending tasks of queue ' + q.queue + '? They end REVOKED.')) {
        return Promise.resolve();
      }
      return fetchJson('/v1/admin/queues/' + encodeURIComponent(q.queue) + '/purge', { method: 'POST' });
    }));
  });
}

function drawWorkers(workers) {
  draw('workers', workers, 'no workers', 4, (row, w) => {
    row.dataset.worker = w.worker;
    cell(row, w.worker);
    cell(row, w.alive ? 'alive' : 'lease ran out', w.alive ? 'alive' : 'lost');
    cell(row, w.queues.join(', '));
    const running = cell(row, w.tasks.length === 0 ? 'idle' : '');
    if (w.tasks.length > 0) {
      const list = document.createElement('ul');
      list.className = 'held';
      w.tasks.forEach(t => {
        const item = document.createElement('li');
        item.dataset.taskId = t.task_id;
        item.textContent = t.job + ' ' + t.task_id + ' (' + (t.state || '?') + ', attempt ' + t.attempts
          + (t.started_at ? ', since ' + time(t.started_at) : '') + ')';
        list.appendChild(item);
      });
      running.appendChild(list);
    }
  });
}

function drawTasks(tasks) {
  draw('tasks', tasks, 'no recent tasks', 9, (row, t) => {
    row.dataset.taskId = t.task_id;
    cell(row, t.task_id);
    cell(row, t.job);
    cell(row, t.queue);
    cell(row, t.tenant);
    cell(row, t.state, 'state state-' + t.state);
    cell(row, t.attempts, 'number');
    cell(row, time(t.created_at));
    cell(row, time(t.finished_at));
    cell(row, t.error ? t.error.type + ': ' + t.error.message : '');
  });
}

function drawDeadLetters(letters) {
  draw('dead-letters', letters, 'no dead letters', 8, (row, d) => {
    row.dataset.taskId = d.task_id;
    cell(row, d.task_id);
    cell(row, d.job);
    cell(row, d.queue);
    cell(row, d.tenant);
    cell(row, d.attempts, 'number');
    cell(row, time(d.failed_at));
    cell(row, d.error ? d.error.type + ': ' + d.error.message : '');
    const path = '/v1/admin/queues/' + encodeURIComponent(d.queue) + '/dead-letters/' + encodeURIComponent(d.task_id);
    const actions = cell(row, '');
    if (d.job) {
      actions.appendChild(button('requeue', 'requeue', () => fetchJson(path + '/requeue', { method: 'POST' })));
    }
    actions.appendChild(button('delete', 'delete', () => fetchJson(path, { method: 'DELETE' })));
  });
}

async function readDeadLetters(queues) {
  const pages = await Promise.all(queues.filter(q => q.dead_letters > 0).map(q =>
    fetchJson('/v1/admin/queues/' + encodeURIComponent(q.queue) + '/dead-letters?limit=' + DEAD_LETTERS_SHOWN)));
  return pages.flatMap(page => page.dead_letters)
    .sort((a, b) => new Date(b.failed_at) - new Date(a.failed_at)).slice(0, DEAD_LETTERS_SHOWN);
}

function showError(error) {
  const status = document.getElementById('status');
  status.textContent = 'refresh failed: ' + error.message;
  status.className = 'status error';
}

async function refresh() {
  try {
    const [queues, workers, tasks] = await Promise.all([fetchJson('/v1/admin/queues'),
      fetchJson('/v1/admin/workers'), fetchJson('/v1/admin/tasks?limit=' + TASKS_SHOWN)]);
    const deadLetters = await readDeadLetters(queues.queues);
    drawQueues(queues.queues);
    drawWorkers(workers.workers);
    drawTasks(tasks.tasks);
    drawDeadLetters(deadLetters);
    const status = document.getElementById('status');
    status.textContent = 'updated ' + new Date().toLocaleTimeString() + ', every ' + REFRESH_MS / 1000 + ' s';
    status.className = 'status';
  } catch (error) {
    showError(error);
  }
}

refresh();
setInterval(refresh, REFRESH_MS);
