// Form fields for Conform forms: a visible label, the control, and its error right below,
// tied together with aria-invalid / aria-describedby (DESIGN.md §4). Work with JavaScript off.
import { getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from '@conform-to/react'
import type { ReactNode } from 'react'

export function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  return errors?.length ? (
    <p className="field-error" id={id}>
      {errors.join(' ')}
    </p>
  ) : null
}

export function TextField({
  label,
  field,
  type = 'text',
  autoComplete,
  hint,
  inputMode,
  list,
}: {
  label: string
  field: FieldMetadata<string | number | undefined>
  type?: 'text' | 'email' | 'search' | 'datetime-local'
  autoComplete?: string
  hint?: ReactNode
  /** "decimal" or "numeric" brings up a number keyboard on a tablet while keeping the text as typed. */
  inputMode?: 'decimal' | 'numeric'
  /** The id of a <datalist> of suggestions. */
  list?: string
}) {
  const { key, ...props } = getInputProps(field, { type })
  const describedBy = [hint ? `${field.id}-hint` : null, props['aria-describedby']].filter(Boolean).join(' ')
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${field.id}-hint`}>
          {hint}
        </p>
      ) : null}
      <input
        key={key}
        {...props}
        aria-describedby={describedBy || undefined}
        autoComplete={autoComplete}
        inputMode={inputMode}
        list={list}
      />
      <FieldError id={field.errorId} errors={field.errors} />
    </div>
  )
}

export function TextAreaField({
  label,
  field,
  rows = 3,
  hint,
}: {
  label: string
  field: FieldMetadata<string | undefined>
  rows?: number
  hint?: ReactNode
}) {
  const { key, ...props } = getTextareaProps(field)
  const describedBy = [hint ? `${field.id}-hint` : null, props['aria-describedby']].filter(Boolean).join(' ')
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${field.id}-hint`}>
          {hint}
        </p>
      ) : null}
      <textarea key={key} {...props} aria-describedby={describedBy || undefined} rows={rows} />
      <FieldError id={field.errorId} errors={field.errors} />
    </div>
  )
}

export function SelectField({
  label,
  field,
  options,
}: {
  label: string
  field: FieldMetadata<string | undefined>
  options: { value: string; label: string }[]
}) {
  const { key, ...props } = getSelectProps(field)
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <select key={key} {...props}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={field.errorId} errors={field.errors} />
    </div>
  )
}

/** Errors about the whole form (not one field), announced to screen readers. */
export function FormErrors({ id, errors }: { id: string; errors?: string[] }) {
  return errors?.length ? (
    <div className="form-error" id={id} role="alert">
      {errors.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  ) : null
}

export function Flash({ message }: { message: string | null | undefined }) {
  return message ? (
    <p className="flash" role="status">
      {message}
    </p>
  ) : null
}

/** A select of a GET filter form: "Any" (no filter) first, then the choices as [value, label]. */
export function FilterSelect({
  name,
  label,
  value,
  options,
}: {
  name: string
  label: string
  value: string | undefined
  options: readonly (readonly [string, string])[]
}) {
  return (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} defaultValue={value ?? ''}>
        <option value="">Any</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  )
}

/** A day of a list's date range (a GET filter), as typed, with what is wrong with it under it. */
export function DayField({ name, label, value, error }: { name: string; label: string; value: string; error?: string }) {
  const id = `filter-${name}`
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="date"
        name={name}
        defaultValue={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <FieldError id={`${id}-error`} errors={error ? [error] : undefined} />
    </div>
  )
}
