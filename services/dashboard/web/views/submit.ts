// Submit: a form (delta period, banks → deposits) or a pasted PortfolioRequest. Every problem of
// the API's problem+json answer is shown next to its field (a summary lists them all); after the
// 202 the page follows the portfolio until it is calculated.
import example from '../../../../examples/requests/two-banks-2-weeks.json';
import { postJson } from '../api';
import { h } from '../dom';
import { fieldIdOf } from '../problem-paths';
import {
  ACCOUNT_TYPES,
  PERIOD_UNITS,
  emptyBank,
  emptyDeposit,
  emptyForm,
  fromJson,
  toRequest,
  type DepositFields,
  type FormModel,
} from '../request-form';
import type { Problem } from '../types';
import { problemText, type Cleanup } from './common';

type Mode = 'form' | 'json';

let zones: string[] | undefined;
function timeZoneList(): HTMLDataListElement {
  zones ??= typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return h(
    'datalist',
    { id: 'time-zones' },
    zones.map((z) => h('option', { value: z })),
  );
}

function input(
  id: string,
  label: string,
  value: string,
  onInput: (v: string) => void,
  extra: Record<string, string> = {},
) {
  const el = h('input', { id, name: id, type: 'text', value, autocomplete: 'off', ...extra });
  el.addEventListener('input', () => onInput(el.value));
  return h('div', { class: 'field' }, h('label', { for: id }, label), el);
}

function choice(
  id: string,
  label: string,
  options: readonly string[],
  value: string,
  onInput: (v: string) => void,
) {
  const known = options.includes(value) ? options : [...options, value];
  const el = h(
    'select',
    { id, name: id },
    known.map((o) => h('option', { value: o, selected: o === value }, o)),
  );
  el.addEventListener('change', () => onInput(el.value));
  return h('div', { class: 'field' }, h('label', { for: id }, label), el);
}

export function renderSubmit(root: HTMLElement): Cleanup {
  let model: FormModel = emptyForm();
  let mode: Mode = 'form';
  let sending = false;
  const summary = h('div', { id: 'problem-summary', tabindex: -1 });
  const fields = h('div', {});
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });

  /** focus after a re-render: the element with this id */
  function rerender(focusId?: string) {
    fields.replaceChildren(mode === 'form' ? formFields() : jsonFields());
    if (focusId) document.getElementById(focusId)?.focus();
  }

  function depositFields(b: number, d: number, deposit: DepositFields, count: number) {
    const id = `bank-${b}-deposit-${d}`;
    const set = (key: keyof DepositFields) => (v: string) => (deposit[key] = v);
    return h(
      'fieldset',
      { id, class: 'deposit' },
      h('legend', {}, `Deposit ${d + 1} of bank ${b + 1}`),
      h(
        'div',
        { class: 'row' },
        input(`${id}-account`, 'Account', deposit.account, set('account')),
        choice(`${id}-type`, 'Account type', ACCOUNT_TYPES, deposit.type, set('type')),
        input(`${id}-apy`, 'APY (%)', deposit.apy, set('apy'), { inputmode: 'decimal' }),
        input(`${id}-years`, 'Years', deposit.years, set('years'), { inputmode: 'decimal' }),
        input(`${id}-amount`, 'Amount', deposit.amount, set('amount'), { inputmode: 'decimal' }),
        input(`${id}-start`, 'Start date (YYYY-MM-DD, bank time)', deposit.start, set('start'), {
          placeholder: 'YYYY-MM-DD',
        }),
      ),
      count > 1
        ? button(`Remove deposit ${d + 1} of bank ${b + 1}`, () => {
            model.banks[b]!.deposits.splice(d, 1);
            rerender(`bank-${b}-add-deposit`);
          })
        : null,
    );
  }

  function formFields(): HTMLElement {
    return h(
      'div',
      {},
      h(
        'fieldset',
        { id: 'delta' },
        h('legend', {}, 'Delta period (the growth is shown for this period)'),
        h(
          'div',
          { class: 'row' },
          input('delta-period', 'Period', model.period, (v) => (model.period = v), { inputmode: 'decimal' }),
          choice(
            'delta-period-unit',
            'Period unit',
            PERIOD_UNITS,
            model.periodUnit,
            (v) => (model.periodUnit = v),
          ),
        ),
      ),
      h(
        'div',
        { id: 'banks', role: 'group', 'aria-label': 'Banks' },
        model.banks.map((bank, b) =>
          h(
            'fieldset',
            { id: `bank-${b}`, class: 'bank' },
            h('legend', {}, `Bank ${b + 1}`),
            h(
              'div',
              { class: 'row' },
              input(`bank-${b}-name`, 'Bank name', bank.name, (v) => (bank.name = v)),
              input(`bank-${b}-tz`, 'Time zone (IANA, e.g. America/Chicago)', bank.tz, (v) => (bank.tz = v), {
                list: 'time-zones',
              }),
            ),
            h(
              'div',
              { id: `bank-${b}-deposits`, role: 'group', 'aria-label': `Deposits of bank ${b + 1}` },
              bank.deposits.map((deposit, d) => depositFields(b, d, deposit, bank.deposits.length)),
            ),
            h(
              'div',
              { class: 'actions' },
              button(
                `Add a deposit to bank ${b + 1}`,
                () => {
                  bank.deposits.push(emptyDeposit());
                  rerender(`bank-${b}-deposit-${bank.deposits.length - 1}-account`);
                },
                `bank-${b}-add-deposit`,
              ),
              model.banks.length > 1
                ? button(`Remove bank ${b + 1}`, () => {
                    model.banks.splice(b, 1);
                    rerender('add-bank');
                  })
                : null,
            ),
          ),
        ),
      ),
      h(
        'div',
        { class: 'actions' },
        button(
          'Add a bank',
          () => {
            model.banks.push(emptyBank());
            rerender(`bank-${model.banks.length - 1}-name`);
          },
          'add-bank',
        ),
        button(
          'Fill in an example',
          () => {
            model = fromJson(JSON.stringify(example)) ?? emptyForm();
            rerender('delta-period');
          },
          'fill-example',
        ),
      ),
    );
  }

  const jsonText = h('textarea', {
    id: 'request-json',
    name: 'request-json',
    rows: 18,
    spellcheck: 'false',
    'aria-describedby': 'request-json-hint',
  });

  function jsonFields(): HTMLElement {
    return h(
      'div',
      { class: 'field' },
      h('label', { for: 'request-json' }, 'PortfolioRequest (JSON)'),
      h(
        'p',
        { id: 'request-json-hint', class: 'hint' },
        'Every value a JSON string, as in the spec: { "new_delta": …, "new_banks": [ … ] }. Sent exactly as written.',
      ),
      jsonText,
    );
  }

  function switchTo(next: Mode) {
    if (next === mode) return;
    clearProblems();
    if (next === 'json') {
      jsonText.value = JSON.stringify(toRequest(model), null, 2);
    } else {
      const parsed = fromJson(jsonText.value);
      if (parsed === undefined) {
        status.textContent =
          'The text is not a JSON object, so it cannot fill the form. Fix it, or submit it to see what the API says.';
        (root.querySelector('#mode-json') as HTMLInputElement).checked = true;
        return;
      }
      model = parsed.banks.length === 0 ? { ...parsed, banks: [emptyBank()] } : parsed;
    }
    mode = next;
    rerender();
  }

  function clearProblems() {
    summary.replaceChildren();
    for (const el of Array.from(root.querySelectorAll('.field-error'))) el.remove();
    for (const el of Array.from(root.querySelectorAll('[aria-invalid]'))) {
      el.removeAttribute('aria-invalid');
      const described = (el.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .filter((id) => !id.endsWith('-error'));
      if (described.length > 0) el.setAttribute('aria-describedby', described.join(' '));
      else el.removeAttribute('aria-describedby');
    }
  }

  /** Each problem beside its field (or its group); the summary lists all of them. */
  function showProblems(problem: Problem) {
    clearProblems();
    const errors = problem.errors ?? [];
    const items: HTMLElement[] = [];
    errors.forEach((error, i) => {
      const id = mode === 'form' ? fieldIdOf(error.path) : 'request-json';
      const target = id === undefined ? null : document.getElementById(id);
      const messageId = `problem-${i}-error`;
      if (target !== null) {
        const message = h(
          'p',
          { class: 'field-error', id: messageId, 'data-path': error.path },
          mode === 'json' ? `${error.path}: ${error.message}` : error.message,
        );
        if (target instanceof HTMLFieldSetElement || target.getAttribute('role') === 'group') {
          const legend = target.querySelector(':scope > legend');
          if (legend) legend.after(message);
          else target.prepend(message);
        } else {
          target.after(message);
          target.setAttribute('aria-invalid', 'true');
          const described = target.getAttribute('aria-describedby');
          target.setAttribute('aria-describedby', described ? `${described} ${messageId}` : messageId);
        }
      }
      const go = target === null ? null : h('button', { type: 'button', class: 'link' }, 'go to field');
      go?.addEventListener('click', () => target?.focus());
      items.push(h('li', {}, h('code', {}, error.path), ': ', error.message, go ? ' — ' : '', go));
    });
    summary.replaceChildren(
      h(
        'div',
        { class: 'problem', role: 'alert' },
        h('p', {}, problemText(problem)),
        items.length > 0 ? h('ul', {}, items) : null,
      ),
    );
    summary.focus();
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (sending) return;
    sending = true;
    status.textContent = 'Submitting…';
    const body = mode === 'form' ? JSON.stringify(toRequest(model)) : jsonText.value;
    const answer = await postJson<{ portfolio_uuid: string; status: string }>('/portfolios', body);
    sending = false;
    if (!answer.ok) {
      status.textContent = 'The portfolio was not accepted.';
      showProblems(answer.problem);
      return;
    }
    clearProblems();
    status.textContent = `Accepted as ${answer.body.portfolio_uuid}; following it…`;
    location.hash = `#/portfolios/${answer.body.portfolio_uuid}`;
  }

  const modeSwitch = h(
    'fieldset',
    { class: 'mode' },
    h('legend', {}, 'Enter the portfolio'),
    h('input', { type: 'radio', id: 'mode-form', name: 'mode', value: 'form', checked: true }),
    h('label', { for: 'mode-form' }, 'with the form'),
    h('input', { type: 'radio', id: 'mode-json', name: 'mode', value: 'json' }),
    h('label', { for: 'mode-json' }, 'as pasted JSON'),
  );
  modeSwitch.addEventListener('change', (event) =>
    switchTo((event.target as HTMLInputElement).value as Mode),
  );

  const form = h(
    'form',
    { id: 'submit-form', novalidate: true, 'aria-labelledby': 'submit-heading' },
    modeSwitch,
    summary,
    fields,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', id: 'submit-portfolio', class: 'primary' }, 'Submit portfolio'),
    ),
    status,
  );
  form.addEventListener('submit', (event) => void submit(event));
  root.replaceChildren(
    h('h1', { id: 'submit-heading', tabindex: -1 }, 'Submit a portfolio'),
    h(
      'p',
      {},
      'Banks with their deposits, and the period the growth is measured over. The API checks every field and names each problem.',
    ),
    timeZoneList(),
    form,
  );
  rerender();
  return () => undefined;
}

function button(text: string, onClick: () => void, id?: string): HTMLButtonElement {
  const el = h('button', { type: 'button', id }, text);
  el.addEventListener('click', onClick);
  return el;
}
