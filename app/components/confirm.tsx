// Destructive actions ask first, with JavaScript off too (RULES.md, README "Progressive
// enhancement"). A link whose text names the target leads to the same page with a query flag
// (`?delete`), whose loader sets `open`: the dialog is then shown in the page, with the real POST
// button. With JavaScript on, app/enhance/enhance.js opens the same dialog with showModal() when
// the link (data-dialog) is pressed, and turns a dialog rendered open into a modal one; Escape or
// the cancel link closes it without acting.
import { Form, Link } from '@remix-run/react'
import type { ReactNode } from 'react'

/** The link that asks first: to the page with its flag, or the dialog itself with JavaScript on. */
export function ConfirmLink({
  dialog,
  to,
  className = 'button secondary',
  describedBy,
  children,
}: {
  /** The id of the <Confirm> it opens. */
  dialog: string
  /** The page with the flag that renders the dialog open, like "?delete". */
  to: string
  className?: string
  /** The id of an error about it (the last time it was tried). */
  describedBy?: string
  children: ReactNode
}) {
  return (
    <Link to={to} className={className} data-dialog={dialog} aria-describedby={describedBy}>
      {children}
    </Link>
  )
}

/**
 * The question and its real POST form. `fields` become hidden inputs; `children` (what happens,
 * optional fields of the form, their errors) come before the buttons.
 */
export function Confirm({
  id,
  open,
  title,
  confirmLabel,
  cancelTo,
  cancelLabel = 'Keep it',
  fields = {},
  action,
  level = 2,
  children,
}: {
  id: string
  /** Shown in the page (the flag is in the address, or the form came back with an error). */
  open: boolean
  /** The question, naming the target: Delete “Summer linen reel”? */
  title: string
  /** The button that acts, naming the target too. */
  confirmLabel: string
  /** The page without the flag. */
  cancelTo: string
  cancelLabel?: string
  fields?: Record<string, string | string[]>
  /** Where the form posts; the current route's action when not given. */
  action?: string
  level?: 2 | 3
  children?: ReactNode
}) {
  const Heading = level === 2 ? 'h2' : 'h3'
  return (
    <dialog id={id} className="confirm" open={open || undefined} aria-labelledby={`${id}-title`} data-confirm="">
      <Form method="post" action={action} className="stack">
        <Heading id={`${id}-title`}>{title}</Heading>
        {Object.entries(fields).flatMap(([name, value]) =>
          (Array.isArray(value) ? value : [value]).map((v) => <input key={`${name}=${v}`} type="hidden" name={name} value={v} />),
        )}
        {children}
        <div className="button-row">
          <button type="submit" className="danger">
            {confirmLabel}
          </button>
          <Link to={cancelTo} className="button secondary" data-dialog-close="">
            {cancelLabel}
          </Link>
        </div>
      </Form>
    </dialog>
  )
}
