// The tick of a list row (orders, fabrics): a real label that names the row (read by screen readers,
// hidden from the eye) around a 24 px box, the label itself a 44 px target, so a tap near the box ticks it.
import type { InputHTMLAttributes } from 'react'

export function RowCheck({ label, ...input }: { label: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className="row-check">
      <input type="checkbox" {...input} />
      <span className="visually-hidden">{label}</span>
    </label>
  )
}
