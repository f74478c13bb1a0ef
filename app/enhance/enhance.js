// Tara Hub's one script, loaded deferred on every page (app/root.tsx) and cached for a year.
// Every page works without it; with it (README, "Progressive enhancement"):
//   - same-origin links and forms go through fetch: the new page's <body> (title, header, flash,
//     <main>) is swapped in, the address pushed, Back re-fetches; scroll goes to the top on a
//     navigation and stays for a form shown again with its errors; focus moves to the first
//     field with aria-invalid="true", else to the <h1>. While waiting: aria-busy on <main>, the
//     form's submit button disabled, and a second submit is ignored. Anything that is not an
//     HTML page (a CSV, a file), a link with download or target, another origin, a modified
//     click, data-enhance="off", or a network failure: the browser does it as usual.
//   - a link with data-dialog="<id>" opens that <dialog data-confirm> with showModal(); a confirm
//     dialog rendered open (the ?flag page, with JavaScript off) becomes a modal one.
//   - <output data-count-for="<id>"> / data-hashtag-count-for: live counts (app/enhance/counts.ts
//     renders the same words on the server).
//   - hidden <button data-print> and <button data-copy="…">: shown, they print and copy.
// Plain JavaScript, shipped as written (no build step of its own): keep it small.
;(() => {
  const d = document
  // A page that React hydrates (a route's handle asks it) is Remix's, not ours.
  if (window.__remixContext || !window.fetch || !window.DOMParser) return

  /** @type {AbortController | null} */
  let inFlight = null
  /** The address (path and query) of the page shown, to tell a #fragment change from a page change. */
  let here = pageKey(location.href)
  let bypass = false

  function pageKey(href) {
    const url = new URL(href, location.href)
    return url.pathname + url.search
  }

  const optedOut = (el) => Boolean(el.closest('[data-enhance="off"]'))
  const main = () => d.getElementById('main')

  function setPending(on, form, submitter) {
    const m = main()
    if (m && on) m.setAttribute('aria-busy', 'true')
    else m?.removeAttribute('aria-busy')
    d.documentElement.toggleAttribute('data-pending', on)
    form?.toggleAttribute('data-pending', on)
    if (submitter) {
      submitter.disabled = on
      submitter.toggleAttribute('data-pending', on)
    }
  }

  /** Fetches a page and shows it in place; falls back to the browser when that cannot be done. */
  async function visit(href, { method = 'GET', body, form, submitter, pop = false } = {}) {
    inFlight?.abort()
    const controller = (inFlight = new AbortController())
    const scroll = scrollY
    const from = location.href
    let response
    let html
    setPending(true, form, submitter)
    try {
      response = await fetch(href, {
        method,
        body,
        signal: controller.signal,
        credentials: 'same-origin',
        headers: { Accept: 'text/html,application/xhtml+xml' },
      })
      const type = response.headers.get('Content-Type') || ''
      const attachment = /attachment/i.test(response.headers.get('Content-Disposition') || '')
      if (!/^text\/html/i.test(type) || attachment) return await notAPage(response, method, href, controller)
      html = await response.text()
    } catch {
      if (controller.signal.aborted) return
      // The network failed: let the browser try, and show its own error if it fails too.
      if (method === 'GET') return pop ? location.reload() : location.assign(href)
      setPending(false, form, submitter)
      inFlight = null
      bypass = true
      try {
        form.requestSubmit(submitter)
      } finally {
        bypass = false
      }
      return
    } finally {
      if (inFlight === controller) {
        inFlight = null
        setPending(false, form, submitter)
      }
    }
    // Without the page's inline stylesheet: this page has it already, and its nonce is the new page's.
    const doc = new DOMParser().parseFromString(html.replace(/<style[^>]*>[\s\S]*?<\/style>/i, ''), 'text/html')
    // A POST answered in place (its errors): the address stays, unless the form was another page's.
    const answered = method !== 'GET' && !response.redirected
    let url = response.redirected ? response.url : href
    if (answered && new URL(url).pathname === location.pathname) url = location.href
    const ours = d.querySelector('script[data-enhance]')?.getAttribute('src')
    const theirs = doc.querySelector('script[data-enhance]')?.getAttribute('src')
    // A page that needs more script, or a new version of the app: load it properly.
    if ((!doc.getElementById('main') || doc.body.querySelector('script') || ours !== theirs) && !answered) {
      return pop ? location.reload() : location.assign(url)
    }
    if (!pop) {
      // Scroll positions are kept in the history entries and restored here, not by the browser.
      history.scrollRestoration = 'manual'
      history.replaceState({ ...history.state, y: scroll }, '')
      if (pageKey(url) === pageKey(from) && answered) history.replaceState({ y: scroll }, '', url)
      else history.pushState({ y: 0 }, '', url)
    }
    here = pageKey(location.href)
    d.title = doc.title
    d.body.replaceWith(d.adoptNode(doc.body))
    const modal = init(d.body)
    const hash = new URL(url).hash.slice(1)
    const target = hash && d.getElementById(decodeURIComponent(hash))
    if (pop) scrollTo(0, history.state?.y ?? 0)
    else if (answered) scrollTo(0, scroll)
    else if (target) target.scrollIntoView()
    else scrollTo(0, 0)
    if (modal) return
    const invalid = main()?.querySelector('[aria-invalid="true"]')
    if (invalid) return invalid.focus()
    const heading = main()?.querySelector('h1')
    if (heading) {
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1')
      heading.focus({ preventScroll: pop || answered || Boolean(target) })
    }
  }

  /** A file or other non-page answer: what the browser would have done with it. */
  async function notAPage(response, method, href, controller) {
    if (method === 'GET' || response.redirected) {
      controller.abort()
      return location.assign(response.url || href)
    }
    // A POST answered with a file (nothing of the app does so today): save it, stay on the page.
    const name = /filename="?([^";]+)/i.exec(response.headers.get('Content-Disposition') || '')?.[1] || ''
    const link = Object.assign(d.createElement('a'), { href: URL.createObjectURL(await response.blob()), download: name })
    link.click()
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000)
  }

  // Links.
  d.addEventListener('click', (event) => {
    const el = event.target instanceof Element ? event.target : null
    if (!el || event.defaultPrevented || event.button !== 0) return
    const button = el.closest('button[data-print], button[data-copy]')
    if (button) return act(button)
    const link = el.closest('a[href]')
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    const dialog = link.closest('dialog')
    if (dialog?.open && link.hasAttribute('data-dialog-close')) {
      event.preventDefault()
      return dialog.close()
    }
    const opens = d.getElementById(link.getAttribute('data-dialog') || '')
    if (opens instanceof HTMLDialogElement) {
      event.preventDefault()
      return showModal(opens)
    }
    const url = new URL(link.href)
    const sameDocument = url.hash && pageKey(url.href) === pageKey(location.href)
    if ((link.target && link.target !== '_self') || link.hasAttribute('download') || optedOut(link)) return
    if (url.origin !== location.origin || sameDocument) return
    event.preventDefault()
    visit(url.href)
  })

  // Forms.
  d.addEventListener('submit', (event) => {
    const form = event.target
    if (bypass || !(form instanceof HTMLFormElement) || event.defaultPrevented) return
    const submitter = event.submitter instanceof HTMLElement ? event.submitter : null
    const attr = (name) => submitter?.getAttribute(`form${name}`) || form.getAttribute(name) || ''
    const method = (attr('method') || 'get').toLowerCase()
    const action = new URL(attr('action') || location.href, location.href)
    const enctype = attr('enctype').toLowerCase()
    const target = attr('target')
    if (method === 'dialog' || (target && target !== '_self') || enctype === 'text/plain') return
    if (optedOut(form) || (submitter && optedOut(submitter)) || action.origin !== location.origin) return
    event.preventDefault()
    // The same form sent twice (a double tap): the second is ignored.
    if (form.hasAttribute('data-pending')) return
    let data
    try {
      data = new FormData(form, submitter)
    } catch {
      data = new FormData(form)
      if (submitter?.name) data.append(submitter.name, submitter.value)
    }
    const fields = new URLSearchParams([...data].map(([k, v]) => [k, typeof v === 'string' ? v : v.name]))
    if (method === 'get') {
      action.search = fields.toString()
      return visit(action.href, { form, submitter })
    }
    const body = enctype === 'multipart/form-data' ? data : fields
    visit(action.href, { method: 'POST', body, form, submitter })
  })

  addEventListener('popstate', () => {
    // Only the #fragment changed: the browser scrolls, the page stays.
    if (pageKey(location.href) === here) return
    here = pageKey(location.href)
    visit(location.href, { pop: true })
  })

  // Confirm dialogs.
  function showModal(dialog) {
    if (dialog.open) dialog.close()
    dialog.showModal()
  }
  d.addEventListener(
    'close',
    (event) => {
      const dialog = event.target
      if (!(dialog instanceof HTMLDialogElement) || !dialog.hasAttribute('data-confirm')) return
      // The close of turning a dialog shown in the page into a modal one (init): not an answer.
      if (dialog.hasAttribute('data-upgraded')) return dialog.removeAttribute('data-upgraded')
      // Closed on the ?flag page: its address becomes the page's own again.
      const back = dialog.querySelector('a[data-dialog-close]')
      if (dialog.isConnected && back && pageKey(back.href) !== pageKey(location.href) && !inFlight) {
        history.replaceState(history.state, '', back.href)
        here = pageKey(location.href)
      }
      if (d.activeElement === d.body) d.querySelector(`[data-dialog="${dialog.id}"]`)?.focus()
    },
    true,
  )

  // Print and Copy.
  function act(button) {
    if (button.hasAttribute('data-print')) return print()
    const label = button.textContent
    navigator.clipboard?.writeText(button.getAttribute('data-copy') || '').then(
      () => {
        button.textContent = 'Copied'
        setTimeout(() => (button.textContent = label), 4000)
      },
      () => (button.textContent = 'Copy failed: select the text and copy it'),
    )
  }

  // Live counts.
  const HASHTAG = /^[\p{L}\p{N}_]+$/u
  function hashtags(text) {
    const seen = new Set()
    for (const word of text.split(/[\s,]+/)) {
      const tag = word.replace(/^#+/, '').normalize('NFC').toLowerCase()
      if (tag && HASHTAG.test(tag)) seen.add(tag)
    }
    return seen.size
  }
  const characters = (text) => [...text.replace(/\r?\n/g, '\r\n').trim()].length
  const n = (v) => v.toLocaleString('en-GB')
  const quiet = new WeakMap()

  function count(output) {
    const chars = output.getAttribute('data-count-for')
    const field = d.getElementById(chars || output.getAttribute('data-hashtag-count-for') || '')
    if (!field) return
    const by = d.getElementById(output.getAttribute('data-count-by') || '')
    const limits = Object.fromEntries((output.getAttribute('data-count-limits') || '').split(/\s+/).map((p) => p.split('=')))
    const max = Number((by && limits[by.value]) || field.getAttribute('data-count')) || 0
    const label = by?.selectedOptions?.[0]?.textContent || ''
    const value = chars ? characters(field.value) : hashtags(field.value)
    const unit = chars ? 'characters' : 'hashtags'
    const text = `${n(value)} of ${n(max)} ${unit}${label ? ` for ${label}` : ''}${value > max ? `: ${n(value - max)} too many` : ''}`
    if (output.textContent === text) return
    // Announced once typing pauses, not at every key.
    output.setAttribute('aria-live', 'off')
    output.textContent = text
    clearTimeout(quiet.get(output))
    quiet.set(
      output,
      setTimeout(() => {
        output.setAttribute('aria-live', 'polite')
        output.textContent = text
      }, 1000),
    )
  }
  const outputs = () => d.querySelectorAll('output[data-count-for], output[data-hashtag-count-for]')
  const recount = () => outputs().forEach(count)
  d.addEventListener('input', recount)
  d.addEventListener('change', recount)

  /** What a newly shown page needs; true when it opened a modal dialog. */
  function init(root) {
    root.querySelectorAll('button[data-print][hidden], button[data-copy][hidden]').forEach((b) => (b.hidden = false))
    let modal = false
    root.querySelectorAll('dialog[data-confirm][open]').forEach((dialog) => {
      if (modal) return
      dialog.setAttribute('data-upgraded', '')
      dialog.close()
      dialog.showModal()
      modal = true
    })
    return modal
  }
  init(d.body)
})()
