// Engagement on the social platforms: per week and platform, and against the posts published.
import { scaleBand } from 'd3-scale'
import {
  PLATFORM_LABELS,
  SOCIAL_PLATFORMS,
  type PostsVsEngagement,
  type SocialPlatformName,
  type WeeklyEngagement,
} from '~/models/analytics-options'
import { CHART_TITLES } from '~/utils/chart-data'
import { shortDay } from '~/utils/dates'
import { countText, NO_DATA, plural, spansYears, total, weeksText } from './format'
import { finite, frame, indices, px, spacedIndices, tenths, valueScale } from './geometry'
import { ACCENT, CategoryAxis, ChartSvg, HATCH_FILL, INK, Legend, LIGHT, NoData, ValueAxis } from './parts'

const HATCH = 'chart-engagement-hatch'

/** Per platform: dark solid, mid-tone with a dark diagonal hatch, light with a dark outline. */
const PLATFORM_STYLES: Record<SocialPlatformName, { fill: string; stroke?: string }> = {
  instagram: { fill: INK },
  facebook: { fill: `url(#${HATCH})` },
  pinterest: { fill: LIGHT, stroke: INK },
}

/** Interactions per week, a group of bars per week, one per social platform. */
export function EngagementChart({ data }: { data: WeeklyEngagement[] }) {
  const f = frame(640, 260, { top: 30, right: 40, bottom: 42, left: 76 })
  const weeks = data.map((w) => ({
    week: w.week,
    instagram: finite(w.instagram),
    facebook: finite(w.facebook),
    pinterest: finite(w.pinterest),
  }))
  const n = weeks.length
  const values = weeks.flatMap((w) => SOCIAL_PLATFORMS.map((p) => w[p]))
  const empty = values.every((v) => v === 0)
  const x = scaleBand<number>().domain(indices(n)).range([f.left, f.right]).paddingInner(0.2).paddingOuter(0.1)
  const inner = scaleBand<SocialPlatformName>().domain(SOCIAL_PLATFORMS).range([0, x.bandwidth()])
  const y = valueScale(values, [f.bottom, f.top])
  const base = px(y(0))
  const barWidth = tenths(inner.bandwidth())
  // All of a platform's bars as one path: "M x base v -h h w v h z" per week.
  const bars = (platform: SocialPlatformName) =>
    weeks
      .map((w, i) => {
        if (w[platform] <= 0) return ''
        const h = Math.max(1, base - px(y(w[platform])))
        return `M${tenths((x(i) ?? 0) + (inner(platform) ?? 0))} ${base}v-${h}h${barWidth}v${h}z`
      })
      .join('')
  const first = weeks[0]?.week ?? ''
  const last = weeks[n - 1]?.week ?? ''
  const withYear = spansYears(first, last)
  const ticks = spacedIndices(n).map((i) => ({
    at: px((x(i) ?? 0) + x.bandwidth() / 2),
    text: shortDay(weeks[i]!.week, withYear),
  }))

  const range = weeksText(weeks.map((w) => w.week))
  let desc = `${CHART_TITLES.engagement}${range}. ${NO_DATA}.`
  if (!empty) {
    const sums = SOCIAL_PLATFORMS.map((p) => `${PLATFORM_LABELS[p]} ${countText(total(weeks.map((w) => w[p])))}`)
    const weekTotals = weeks.map((w) => total(SOCIAL_PLATFORMS.map((p) => w[p])))
    const busiest = weekTotals.indexOf(Math.max(...weekTotals))
    desc =
      `${CHART_TITLES.engagement}${range}: ${sums.join(', ')} interactions in all; ` +
      `the busiest week began ${shortDay(weeks[busiest]!.week, withYear)}, with ${countText(weekTotals[busiest]!)}.`
  }
  const hatch = (
    <pattern id={HATCH} width={4} height={4} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width={4} height={4} fill={HATCH_FILL} />
      <path d="M0 0v4" stroke={INK} strokeWidth={1.5} />
    </pattern>
  )
  // An outline as thick as a bar hides its fill: thinner when the bars are thin.
  const outline = barWidth < 4 ? 0.5 : 1

  return (
    <ChartSvg name="engagement" frame={f} desc={desc} defs={hatch}>
      <ValueAxis frame={f} scale={y} side="left" format={countText} label="Interactions" />
      <CategoryAxis frame={f} ticks={ticks} label="Week starting" />
      <Legend
        x={f.left}
        y={12}
        items={SOCIAL_PLATFORMS.map((p) => ({
          label: PLATFORM_LABELS[p],
          swatch: <rect y={-6} width={16} height={12} {...PLATFORM_STYLES[p]} />,
        }))}
      />
      {empty ? (
        <NoData frame={f} />
      ) : (
        SOCIAL_PLATFORMS.map((p) => (
          <path key={p} className={`chart-${p}`} d={bars(p)} {...PLATFORM_STYLES[p]} strokeWidth={outline} />
        ))
      )}
    </ChartSvg>
  )
}

const dotTitle = (w: PostsVsEngagement) =>
  `${shortDay(w.week, true)}: ${plural(w.posts, 'post')}, ${plural(w.engagement, 'interaction')}`

/** A dot per week: posts published across, the interactions they had up. */
export function PostsVsEngagementChart({ data }: { data: PostsVsEngagement[] }) {
  const f = frame(640, 260, { top: 12, right: 24, bottom: 42, left: 76 })
  const weeks = data.map((w) => ({ week: w.week, posts: finite(w.posts), engagement: finite(w.engagement) }))
  const n = weeks.length
  const empty = weeks.every((w) => w.posts === 0 && w.engagement === 0)
  const x = valueScale(
    weeks.map((w) => w.posts),
    [f.left, f.right],
  )
  const y = valueScale(
    weeks.map((w) => w.engagement),
    [f.bottom, f.top],
  )
  const range = weeksText(weeks.map((w) => w.week))
  let desc = `${CHART_TITLES['posts-vs-engagement']}${range}. ${NO_DATA}.`
  if (!empty) {
    const best = weeks.reduce((a, b) => (b.engagement > a.engagement ? b : a))
    desc =
      `${CHART_TITLES['posts-vs-engagement']}${range}: ${plural(total(weeks.map((w) => w.posts)), 'post')} and ` +
      `${plural(total(weeks.map((w) => w.engagement)), 'interaction')} in all; the most, ` +
      `${countText(best.engagement)}, in the week of ${shortDay(best.week, true)} (${plural(best.posts, 'post')}).`
  }

  return (
    <ChartSvg name="posts-vs-engagement" frame={f} desc={desc}>
      <ValueAxis frame={f} scale={y} side="left" format={countText} label="Interactions" />
      <ValueAxis frame={f} scale={x} side="bottom" format={countText} label="Posts published" />
      {empty ? (
        <NoData frame={f} />
      ) : (
        <g className="chart-dots" fill={ACCENT} fillOpacity={0.75} stroke="#fff">
          {weeks.map((w, i) => (
            <circle key={i} cx={px(x(w.posts))} cy={px(y(w.engagement))} r={4}>
              {n <= 120 ? <title>{dotTitle(w)}</title> : null}
            </circle>
          ))}
        </g>
      )}
    </ChartSvg>
  )
}
