// Figures as the dashboard and the import previews show them: a label over a big number, in a
// <dl className="figures"> (the number and its note are separate <dd>s, so that neither the eye nor a
// screen reader runs them together), and the line under a preview's table when the file holds more rows.
import { formatNumber } from '~/utils/format'

export function Figure({ label, value, note }: { label: string; value: number | string; note?: string }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd className="figure-value">{typeof value === 'number' ? formatNumber(value) : value}</dd>
      {note ? <dd className="figure-note">{note}</dd> : null}
    </div>
  )
}

/** "The first 50 are shown; 120 more new orders are in the files." when not every row is listed. */
export function MoreRows({ shown, total, what, where }: { shown: number; total: number; what: string; where: string }) {
  return total > shown ? (
    <p className="hint">
      The first {formatNumber(shown)} are shown; {formatNumber(total - shown)} more {what} are in {where}.
    </p>
  ) : null
}
