// The analytics charts (app/components/charts/): server-rendered SVG with a title and a
// description, readable axes, grey-scale-safe series, an empty state, no NaN, and a size budget.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { EngagementChart, PostsVsEngagementChart } from '~/components/charts/engagement'
import { ChartFigure } from '~/components/charts/figure'
import { OrdersByStatusChart } from '~/components/charts/orders-by-status'
import { RevenueChart } from '~/components/charts/revenue'
import { TopFabricsChart } from '~/components/charts/top-fabrics'
import type { DailyPoint, PostsVsEngagement, WeeklyEngagement } from '~/models/analytics-options'
import { revenueTable } from '~/utils/chart-data'

const MAX_BYTES = 12 * 1024

/** The <svg> element of some markup. */
function svgOf(markup: string): string {
  const svg = /<svg[\s\S]*<\/svg>/.exec(markup)?.[0]
  if (!svg) throw new Error('No <svg> in the markup')
  return svg
}

/** The text of every <text> element, in order. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!)
}

const count = (svg: string, pattern: RegExp) => svg.match(pattern)?.length ?? 0

function expectAccessible(svg: string, id: string, title: string) {
  expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 640 \d+"/)
  expect(svg).toContain('role="img"')
  expect(svg).toContain(`aria-labelledby="${id}-title ${id}-desc"`)
  expect(svg).toContain(`<title id="${id}-title">${title}</title>`)
  expect(svg).toMatch(new RegExp(`<desc id="${id}-desc">[^<]+</desc>`))
}

function expectClean(svg: string) {
  expect(svg).not.toMatch(/NaN|undefined|Infinity/)
}

function expectEmpty(svg: string) {
  expectClean(svg)
  expect(texts(svg)).toContain('No data for this range')
  expect(/<desc[^>]*>([^<]*)<\/desc>/.exec(svg)?.[1]).toContain('No data for this range')
}

/** A day `n` days after 1 Nov 2026 (or before, when negative). */
const day = (n: number) => new Date(Date.UTC(2026, 10, 1 + n)).toISOString().slice(0, 10)

/** The same numbers on every run. */
function numbers(seed: number) {
  let state = seed
  return (max: number) => {
    state = (state * 16807) % 2147483647
    return Math.round((state / 2147483647) * max)
  }
}

describe('the revenue chart', () => {
  const pattern = [120, 80.5, 0, 210, 95, 60]
  const current: DailyPoint[] = Array.from({ length: 30 }, (_, i) => ({ date: day(i), value: pattern[i % 6]! }))
  const previous: DailyPoint[] = Array.from({ length: 30 }, (_, i) => ({ date: day(i - 30), value: 50 }))
  const svg = svgOf(renderToStaticMarkup(<RevenueChart data={{ current, previous }} currency="GBP" />))

  it('has a title, and a description in words', () => {
    expectAccessible(svg, 'chart-revenue', 'Revenue per day')
    expect(svg).toContain(
      '<desc id="chart-revenue-desc">Revenue per day from 1 Nov to 30 Nov 2026: £2,827.50 in all, ' +
        'highest £210.00 on 4 Nov; previous period £1,500.00.</desc>',
    )
    expectClean(svg)
  })

  it('has money ticks, about six day labels, axis names and a legend', () => {
    const labels = texts(svg)
    expect(labels).toEqual(expect.arrayContaining(['£0', '£50', '£100', '£150', '£200', '£250']))
    expect(labels).not.toContain('£300')
    expect(labels).toEqual(expect.arrayContaining(['1 Nov', '7 Nov', '13 Nov', '18 Nov', '24 Nov', '30 Nov']))
    expect(labels.filter((t) => / Nov/.test(t))).toHaveLength(6)
    expect(labels).toEqual(expect.arrayContaining(['Revenue (GBP)', 'Day', 'This period', 'Previous period']))
  })

  it('draws this period solid with a dot per day, and the previous period dashed', () => {
    const currentLine = /<path class="chart-current" d="M[^"]+"[^>]*>/.exec(svg)?.[0]
    const previousLine = /<path class="chart-previous" d="M[^"]+"[^>]*>/.exec(svg)?.[0]
    expect(currentLine).not.toContain('stroke-dasharray')
    expect(previousLine).toContain('stroke-dasharray="6 4"')
    expect(count(svg, /<circle /g)).toBe(30)
  })

  it('writes the line as compact relative steps through every day’s dot', () => {
    const d = /<path class="chart-current" d="([^"]+)"/.exec(svg)![1]!
    expect(d).toMatch(/^M\d+ \d+l[-\d ]+$/)
    const [x0, y0, ...steps] = (d.match(/-?\d+/g) ?? []).map(Number)
    const points: [number, number][] = [[x0!, y0!]]
    for (let i = 0; i < steps.length; i += 2) {
      const [x, y] = points[points.length - 1]!
      points.push([x + steps[i]!, y + steps[i + 1]!])
    }
    const dots = [...svg.matchAll(/<circle cx="(\d+)" cy="(\d+)"/g)].map((m) => [Number(m[1]), Number(m[2])])
    expect(points).toEqual(dots)
  })

  it('says so when there is no revenue, and still draws the axes', () => {
    const zeros = current.map((p) => ({ ...p, value: 0 }))
    for (const data of [
      { current: [], previous: [] },
      { current: zeros, previous: zeros },
    ]) {
      const empty = svgOf(renderToStaticMarkup(<RevenueChart data={data} currency="GBP" />))
      expectEmpty(empty)
      expect(texts(empty)).toEqual(expect.arrayContaining(['£0', 'Revenue (GBP)']))
      expect(empty).not.toContain('chart-current')
    }
  })

  it('shows a single day as a dot', () => {
    const one = svgOf(
      renderToStaticMarkup(<RevenueChart data={{ current: current.slice(0, 1), previous: [] }} currency="USD" />),
    )
    expectClean(one)
    expect(count(one, /<circle /g)).toBe(1)
    expect(texts(one)).toEqual(expect.arrayContaining(['1 Nov', '$0', '$120']))
    expect(one).toContain('Revenue per day on 1 Nov 2026: $120.00 in all')
  })

  it('stays under 12 KB for two years of days, with no dots', () => {
    const random = numbers(7)
    const long = (offset: number) =>
      Array.from({ length: 731 }, (_, i) => ({ date: day(offset + i), value: random(250_000) / 100 }))
    const data = { current: long(0), previous: long(-731) }
    const big = svgOf(renderToStaticMarkup(<RevenueChart data={data} currency="GBP" />))
    expectClean(big)
    expect(Buffer.byteLength(big)).toBeLessThan(MAX_BYTES)
    expect(count(big, /<circle /g)).toBe(0)
    // The range spans years, so the day labels carry them.
    expect(texts(big)).toEqual(expect.arrayContaining(['1 Nov 2026', '31 Oct 2028']))
  })
})

describe('the orders by status chart', () => {
  const data = [
    { status: 'delivered' as const, count: 20 },
    { status: 'pending' as const, count: 3 },
    { status: 'shipped' as const, count: 5 },
  ]
  const svg = svgOf(renderToStaticMarkup(<OrdersByStatusChart data={data} />))

  it('has a title and a description', () => {
    expectAccessible(svg, 'chart-orders-by-status', 'Orders by status')
    expect(svg).toContain(
      'Orders by status: 28 orders in all; Pending 3, Processing 0, Shipped 5, Delivered 20, Cancelled 0.',
    )
    expectClean(svg)
  })

  it('has a bar per status with orders, in workflow order, with the counts over them', () => {
    const labels = texts(svg)
    expect(labels).toEqual(expect.arrayContaining(['0', '5', '10', '15', '20', 'Orders', 'Status']))
    const statuses = labels.filter((t) => /^[A-Z][a-z]+$/.test(t) && t !== 'Orders' && t !== 'Status')
    expect(statuses).toEqual(['Pending', 'Processing', 'Shipped', 'Delivered', 'Cancelled'])
    expect(labels.slice(-5)).toEqual(['3', '0', '5', '20', '0'])
    expect(count(svg, /<rect /g)).toBe(3)
  })

  it('says so when there are no orders, and shows one order as one bar', () => {
    expectEmpty(svgOf(renderToStaticMarkup(<OrdersByStatusChart data={[]} />)))
    const one = svgOf(renderToStaticMarkup(<OrdersByStatusChart data={[{ status: 'processing', count: 1 }]} />))
    expectClean(one)
    expect(count(one, /<rect /g)).toBe(1)
    expect(texts(one)).toEqual(expect.arrayContaining(['0', '1', '2', '3', '4']))
  })

  it('keeps a tiny bar above the axis', () => {
    const tiny = svgOf(
      renderToStaticMarkup(
        <OrdersByStatusChart
          data={[
            { status: 'pending', count: 1 },
            { status: 'delivered', count: 100_000 },
          ]}
        />,
      ),
    )
    const bars = [...tiny.matchAll(/<rect x="\d+" y="(\d+)" width="\d+" height="(\d+)"/g)]
    const heights = bars.map((m) => [Number(m[1]), Number(m[2])])
    const axis = Number(/<path d="M76 (\d+)H\d+" stroke="#59636e">/.exec(tiny)?.[1])
    for (const [y, height] of heights) expect(y! + height!).toBe(axis)
  })
})

describe('the top fabrics chart', () => {
  const long = 'Liberty Tana Lawn Cotton — Strawberry Thief, Navy'
  const data = [
    { key: 'a', name: 'Linen natural', revenue: 400, units: 9 },
    { key: 'b', name: long, revenue: 1234.5, units: 12 },
    { key: 'c', name: 'Cotton poplin', revenue: 99, units: 1 },
  ]
  const svg = svgOf(renderToStaticMarkup(<TopFabricsChart data={data} currency="GBP" />))

  it('has a title and a description', () => {
    expectAccessible(svg, 'chart-top-fabrics', 'Top fabrics by revenue')
    expect(svg).toContain(
      `Top fabrics by revenue: 3 fabrics, £1,733.50 together; first ${long}, £1,234.50 from 12 units.`,
    )
    expectClean(svg)
  })

  it('draws a bar per fabric, highest first, names cut short with the full name on the bar', () => {
    const labels = texts(svg)
    expect(labels).toEqual(expect.arrayContaining(['£0', '£200', '£1,400', 'Revenue (GBP)']))
    expect(labels.filter((t) => !t.startsWith('£') && t !== 'Revenue (GBP)')).toEqual([
      'Liberty Tana Lawn Cotto…',
      'Linen natural',
      'Cotton poplin',
    ])
    expect(labels).toEqual(expect.arrayContaining(['£1,234.50', '£400.00', '£99.00']))
    expect(count(svg, /<rect /g)).toBe(3)
    expect(svg).toContain(`<title>${long}: £1,234.50, 12 units</title></rect>`)
  })

  it('says so when nothing sold, and shows one fabric as one bar', () => {
    expectEmpty(svgOf(renderToStaticMarkup(<TopFabricsChart data={[]} currency="GBP" />)))
    const one = svgOf(renderToStaticMarkup(<TopFabricsChart data={data.slice(0, 1)} currency="GBP" />))
    expectClean(one)
    expect(count(one, /<rect /g)).toBe(1)
  })

  it('stays under 12 KB for 10 fabrics with long names', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      key: `f${i}`,
      name: `${long} in an extra long description of the print, colourway number ${i}`,
      revenue: 123_456.78 - i * 1000,
      units: 12_345,
    }))
    const big = svgOf(renderToStaticMarkup(<TopFabricsChart data={many} currency="GBP" />))
    expectClean(big)
    expect(count(big, /<rect /g)).toBe(10)
    expect(Buffer.byteLength(big)).toBeLessThan(MAX_BYTES)
  })
})

describe('the engagement chart', () => {
  const data: WeeklyEngagement[] = Array.from({ length: 4 }, (_, i) => ({
    week: day(1 + i * 7),
    instagram: 120 + i * 30,
    facebook: 80 - i * 10,
    pinterest: i === 0 ? 0 : 40,
  }))
  const svg = svgOf(renderToStaticMarkup(<EngagementChart data={data} />))
  const platformPath = (svg: string, platform: string) =>
    new RegExp(`<path class="chart-${platform}"[^>]*>`).exec(svg)?.[0] ?? ''

  it('has a title and a description', () => {
    expectAccessible(svg, 'chart-engagement', 'Interactions per week by platform')
    expect(svg).toContain(
      'Interactions per week by platform, 4 weeks from 2 Nov to 23 Nov 2026: Instagram 660, Facebook 260, ' +
        'Pinterest 120 interactions in all; the busiest week began 23 Nov, with 300.',
    )
    expectClean(svg)
  })

  it('has ticks, week labels, axis names and a legend', () => {
    const labels = texts(svg)
    expect(labels).toEqual(expect.arrayContaining(['0', '50', '100', '150', '200', '250']))
    expect(labels).toEqual(expect.arrayContaining(['2 Nov', '9 Nov', '16 Nov', '23 Nov']))
    expect(labels).toEqual(
      expect.arrayContaining(['Interactions', 'Week starting', 'Instagram', 'Facebook', 'Pinterest']),
    )
  })

  it('draws each platform’s bars as one path, told apart by more than colour', () => {
    const bars = (platform: string) => count(/ d="([^"]*)"/.exec(platformPath(svg, platform))?.[1] ?? '', /z/g)
    expect([bars('instagram'), bars('facebook'), bars('pinterest')]).toEqual([4, 4, 3])
    expect(platformPath(svg, 'facebook')).toContain('fill="url(#chart-engagement-hatch)"')
    expect(svg).toContain('<pattern id="chart-engagement-hatch"')
    expect(platformPath(svg, 'pinterest')).toMatch(/stroke="#[0-9a-f]{6}"/)
    expect(platformPath(svg, 'instagram')).not.toContain('stroke=')
    // The legend's swatches carry the same cues.
    expect(count(svg, /<rect [^>]*fill="url\(#chart-engagement-hatch\)"/g)).toBe(1)
  })

  it('says so when there is no engagement, and shows one week as one bar per platform', () => {
    expectEmpty(svgOf(renderToStaticMarkup(<EngagementChart data={[]} />)))
    const zeros = data.map((w) => ({ ...w, instagram: 0, facebook: 0, pinterest: 0 }))
    expectEmpty(svgOf(renderToStaticMarkup(<EngagementChart data={zeros} />)))
    const week = { week: '2026-11-02', instagram: 5, facebook: 3, pinterest: 1 }
    const one = svgOf(renderToStaticMarkup(<EngagementChart data={[week]} />))
    expectClean(one)
    expect(count(one, /z"/g)).toBe(3)
    expect(one).toContain('the week of 2 Nov 2026')
  })

  it('stays under 12 KB for 105 weeks', () => {
    const random = numbers(11)
    const weeks = Array.from({ length: 105 }, (_, i) => ({
      week: day(1 + i * 7),
      instagram: random(99_999),
      facebook: random(99_999),
      pinterest: random(99_999),
    }))
    const big = svgOf(renderToStaticMarkup(<EngagementChart data={weeks} />))
    expectClean(big)
    expect(Buffer.byteLength(big)).toBeLessThan(MAX_BYTES)
  })
})

describe('the posts vs engagement chart', () => {
  const data: PostsVsEngagement[] = [
    { week: '2026-11-02', posts: 2, engagement: 120 },
    { week: '2026-11-09', posts: 5, engagement: 480 },
    { week: '2026-11-16', posts: 3, engagement: 200 },
  ]
  const svg = svgOf(renderToStaticMarkup(<PostsVsEngagementChart data={data} />))

  it('has a title and a description', () => {
    expectAccessible(svg, 'chart-posts-vs-engagement', 'Posts published and interactions per week')
    expect(svg).toContain(
      'Posts published and interactions per week, 3 weeks from 2 Nov to 16 Nov 2026: 10 posts and 800 interactions ' +
        'in all; the most, 480, in the week of 9 Nov 2026 (5 posts).',
    )
    expectClean(svg)
  })

  it('has both axes with whole ticks and names, and a dot per week with its figures', () => {
    const labels = texts(svg)
    expect(labels).toEqual(expect.arrayContaining(['0', '1', '2', '3', '4', '5', 'Posts published']))
    expect(labels).toEqual(expect.arrayContaining(['100', '200', '300', '400', '500', 'Interactions']))
    expect(count(svg, /<circle /g)).toBe(3)
    expect(svg).toContain('<title>9 Nov 2026: 5 posts, 480 interactions</title></circle>')
  })

  it('says so when nothing was posted, and shows one week as one dot', () => {
    expectEmpty(svgOf(renderToStaticMarkup(<PostsVsEngagementChart data={[]} />)))
    const one = svgOf(renderToStaticMarkup(<PostsVsEngagementChart data={data.slice(0, 1)} />))
    expectClean(one)
    expect(count(one, /<circle /g)).toBe(1)
  })

  it('stays under 12 KB for 105 dots with titles, and drops the titles past 120 dots', () => {
    const random = numbers(5)
    const weeks = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ week: day(1 + i * 7), posts: random(40), engagement: random(99_999) }))
    const big = svgOf(renderToStaticMarkup(<PostsVsEngagementChart data={weeks(105)} />))
    expectClean(big)
    expect(count(big, /<title>/g)).toBe(105)
    expect(Buffer.byteLength(big)).toBeLessThan(MAX_BYTES)
    const many = svgOf(renderToStaticMarkup(<PostsVsEngagementChart data={weeks(121)} />))
    expect(count(many, /<circle /g)).toBe(121)
    expect(count(many, /<title>/g)).toBe(0)
  })
})

describe('the figure around a chart', () => {
  const data = {
    current: [
      { date: '2026-11-01', value: 1234.5 },
      { date: '2026-11-02', value: 0 },
    ],
    previous: [{ date: '2026-10-30', value: 99 }],
  }
  const html = renderToStaticMarkup(
    <ChartFigure
      name="revenue"
      title="Revenue per day"
      csvHref="/analytics/revenue.csv"
      table={revenueTable(data, 'GBP')}
    >
      <RevenueChart data={data} currency="GBP" />
    </ChartFigure>,
  )

  it('captions the chart and holds it', () => {
    expect(html).toMatch(/^<figure class="chart"[^>]*><figcaption>Revenue per day<\/figcaption><svg /)
  })

  it('folds away a table of the figures, with column headers and formatted cells', () => {
    expect(html).toContain('<details class="chart-table"><summary>Table of the figures</summary>')
    expect(html).toContain('<th scope="col">Date</th><th scope="col" class="num">Revenue (GBP)</th>')
    expect(html).toContain('<th scope="col" class="num">Previous period revenue (GBP)</th>')
    expect(html).toContain(
      '<tr><td>1 Nov 2026</td><td class="num">1,234.50</td><td>30 Oct 2026</td><td class="num">99.00</td></tr>',
    )
    expect(html).toContain('<tr><td>2 Nov 2026</td><td class="num">0.00</td><td></td><td class="num"></td></tr>')
  })

  it('links to the CSV, naming the chart', () => {
    expect(html).toContain(
      '<a href="/analytics/revenue.csv" download="">' +
        'Download CSV<span class="visually-hidden"> of Revenue per day</span></a>',
    )
  })

  it('says so when the table is empty', () => {
    const none = { current: [], previous: [] }
    const empty = renderToStaticMarkup(
      <ChartFigure name="revenue" title="Revenue per day" csvHref="/r.csv" table={revenueTable(none)}>
        <RevenueChart data={none} currency="GBP" />
      </ChartFigure>,
    )
    expect(empty).toContain('<tbody><tr><td colSpan="4">No data for this range.</td></tr></tbody>')
  })
})
