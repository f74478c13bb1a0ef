// The one place that refuses input PostgreSQL cannot take: text with NUL (or other control
// characters) and whole numbers out of range. Every form schema and list query is built from
// app/utils/validation.ts; these tests hold the blocks, a few schemas built from them, and the
// rule that no form or query parser reads text or numbers any other way.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { parseWithZod } from '@conform-to/zod/v4'
import { describe, expect, it } from 'vitest'
import { contentFormSchema } from '~/models/content-form'
import { EditFabricSchema, NewFabricSchema } from '~/models/fabric-form'
import { editOrderSchema, lineQuantity, newOrderSchema } from '~/models/order-form'
import { parseAnalyticsQuery } from '~/models/analytics-dashboard.server'
import { ManualFigureFields } from '~/models/analytics-import.server'
import { parseCalendarQuery } from '~/models/calendar-view'
import { parseFabricQuery } from '~/models/fabric.server'
import { parseOrderQuery } from '~/models/order-list.server'
import {
  CONTROL_CHARACTER_MESSAGE,
  cleanSearchParams,
  hasForbiddenCharacters,
  readSearchText,
  searchParamsOf,
  text,
  wholeNumber,
} from '~/utils/validation'

const form = (entries: Record<string, string>) => {
  const data = new FormData()
  for (const [k, v] of Object.entries(entries)) data.append(k, v)
  return data
}

describe('text', () => {
  it.each(['a\u0000b', '\u0000', 'a\u0001b', 'a\u001bb', 'a\u007fb', 'a\u000bb', 'lone \ud800 surrogate'])(
    'refuses %j with a message',
    (value) => {
      expect(hasForbiddenCharacters(value)).toBe(true)
      const parsed = text().safeParse(value)
      expect(parsed.success).toBe(false)
      expect(parsed.error?.issues[0]?.message).toBe(CONTROL_CHARACTER_MESSAGE)
    },
  )
  it.each(['', 'linen', 'line one\r\nline two\tindented', '🧵✂️👩🏽‍🦰', 'مرحبا שלום', '"><script>x</script>', 'x'.repeat(100_000)])(
    'takes %j',
    (value) => {
      expect(text().safeParse(value).success).toBe(true)
    },
  )
})

describe('wholeNumber', () => {
  const quantity = wholeNumber({ min: 1, max: 100, message: 'From 1 to 100.' })
  it.each([['1', 1], [' 42 ', 42], ['100', 100], ['+7', 7]])('reads %j as %d', (typed, n) => {
    expect(quantity.parse(typed)).toBe(n)
  })
  it.each(['0', '101', '100000000000000', '-99999999999999999999', '1e309', '1e2', 'NaN', '0x10', '1.5', '', 'a\u0000b', '٣'])(
    'refuses %j with its message',
    (typed) => {
      const parsed = quantity.safeParse(typed)
      expect(parsed.success).toBe(false)
      expect(parsed.error?.issues[0]?.message).toBe('From 1 to 100.')
    },
  )
  it('never allows bounds past PostgreSQL’s integer', () => {
    expect(() => wholeNumber({ min: 0, max: 2 ** 31, message: 'x' })).toThrow(RangeError)
    expect(() => wholeNumber({ min: -(2 ** 31) - 1, max: 0, message: 'x' })).toThrow(RangeError)
  })
})

describe('forms refuse NUL and huge numbers next to the field, keeping what was typed', () => {
  const fabric = { name: 'Sage linen', price: '12.50', lowStockThreshold: '5', initialStock: '10' }
  it.each(['name', 'sku', 'category', 'composition', 'description', 'tags'])('the fabric form’s %s', (field) => {
    const submission = parseWithZod(form({ ...fabric, [field]: 'a\u0000b' }), { schema: NewFabricSchema })
    expect(submission.status).toBe('error')
    expect(submission.reply().error).toEqual({ [field]: [CONTROL_CHARACTER_MESSAGE] })
    expect(submission.reply().initialValue).toMatchObject({ [field]: 'a\u0000b' })
  })
  it('the fabric form’s numbers and version', () => {
    const big = parseWithZod(form({ ...fabric, lowStockThreshold: '100000000000000' }), { schema: NewFabricSchema })
    expect(Object.keys(big.reply().error ?? {})).toEqual(['lowStockThreshold'])
    const version = parseWithZod(form({ ...fabric, version: '100000000000000' }), { schema: EditFabricSchema })
    expect(Object.keys(version.reply().error ?? {})).toEqual(['version'])
  })
  it('the order forms’ text, quantities and version', () => {
    const order = { customerName: 'Ana', 'lines[0].fabricId': '4ff941b3-e59f-465d-83d2-f8ef59c3a12d', 'lines[0].quantity': '2' }
    expect(parseWithZod(form(order), { schema: newOrderSchema }).status).toBe('success')
    const nul = parseWithZod(form({ ...order, notes: 'a\u0000b' }), { schema: newOrderSchema })
    expect(nul.reply().error).toEqual({ notes: [CONTROL_CHARACTER_MESSAGE] })
    const big = parseWithZod(form({ ...order, 'lines[0].quantity': '100000000000000' }), { schema: newOrderSchema })
    expect(Object.keys(big.reply().error ?? {})).toEqual(['lines[0].quantity'])
    const edit = parseWithZod(form({ customerName: 'Ana', city: 'a\u0000b', version: '100000000000000' }), { schema: editOrderSchema })
    expect(Object.keys(edit.reply().error ?? {}).sort()).toEqual(['city', 'line1', 'country', 'version'].sort())
  })
  it('the order form shows no total for a quantity it would not take', () => {
    expect(lineQuantity('3')).toBe(3)
    for (const typed of ['100000000000000', '0', '-1', '1e3', 'a\u0000b', undefined]) expect(lineQuantity(typed)).toBeNull()
  })
  it('the calendar entry form and the figures entered by hand', () => {
    const entry = parseWithZod(form({ platform: 'instagram', contentType: 'post', title: 'a\u0000b' }), {
      schema: contentFormSchema('UTC'),
    })
    expect(entry.reply().error).toEqual({ title: [CONTROL_CHARACTER_MESSAGE] })
    const figure = ManualFigureFields.safeParse({ date: '2026-01-01', metricType: 'followers', platform: 'a\u0000b', value: '1' })
    expect(figure.success).toBe(false)
  })
  it('the "Find fabrics" boxes', () => {
    expect(readSearchText('  sage  ')).toEqual({ query: 'sage', error: null })
    expect(readSearchText('sa\u0000ge')).toEqual({ query: '', error: CONTROL_CHARACTER_MESSAGE })
  })
})

describe('list pages ignore a query value they cannot use', () => {
  const nul = (query: string) => new URLSearchParams(query)
  it('drops values with control characters, and absurdly long ones', () => {
    expect(cleanSearchParams(nul('tag=a%00b&q=linen&x=%01')).toString()).toBe('q=linen')
    expect(cleanSearchParams(nul(`q=${'x'.repeat(5000)}&page=2`)).toString()).toBe('page=2')
    expect(searchParamsOf('http://x.test/fabrics?tag=%00&sort=name').toString()).toBe('sort=name')
  })
  it('the fabric list', () => {
    expect(parseFabricQuery(nul('tag=%00&q=a%00b&category=%00&page=100000000000000'))).toEqual({ page: 1, archived: false })
    expect(parseFabricQuery(nul('tag=Linen&page=2'))).toMatchObject({ tag: 'linen', page: 2 })
  })
  it('the order list, the calendar and the dashboard', () => {
    expect(parseOrderQuery(nul('q=a%00b&from=%00&page=99999999999999999999'))).toEqual({ sort: 'newest', page: 1 })
    expect(parseCalendarQuery(nul('author=%00&date=%00&view=list&page=1e309'))).toEqual({ view: 'list', page: 1 })
    expect(parseAnalyticsQuery(nul('range=custom&from=%00&to=2026-01-01'), '2026-02-01').errors.from).toBeTruthy()
  })
})

describe('every form and query parser is built from the shared blocks', () => {
  // Files whose schemas read no request: the environment, backup settings and manifests, the
  // shapes of stored JSON columns, and the blocks themselves.
  const EXEMPT = new Set([
    'app/services/env.server.ts',
    'app/services/backup/manifest.server.ts',
    'app/models/json-types.ts',
    'app/utils/validation.ts',
  ])
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const file = path.join(dir, name)
      return statSync(file).isDirectory() ? files(file) : /\.tsx?$/.test(name) ? [file] : []
    })
  const sources = files('app').map((file) => ({ file: file.split(path.sep).join('/'), source: readFileSync(file, 'utf8') }))

  it('finds the app’s files', () => {
    expect(sources.length).toBeGreaterThan(50)
  })
  it('reads text with text() and numbers with wholeNumber(), never with z.string() or z.coerce', () => {
    const offenders = sources
      .filter(({ file }) => !EXEMPT.has(file))
      .flatMap(({ file, source }) =>
        source.split('\n').flatMap((line, i) => (/\bz\s*\.\s*(string|coerce|number)\b/.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
      )
    expect(offenders).toEqual([])
  })
  it('reads a page’s query with searchParamsOf(), which drops what no list can use', () => {
    const offenders = sources
      .filter(({ file }) => file.startsWith('app/routes/'))
      .flatMap(({ file, source }) => (/\.searchParams\b/.test(source.replace(/\bback\.searchParams\.delete\b/g, '')) ? [file] : []))
    expect(offenders).toEqual([])
  })
})
