import { describe, expect, it } from 'vitest'
import { formatHashtags, parseHashtags } from '~/utils/hashtags'

describe('hashtags', () => {
  it('reads "#a #b" and "a, b" alike: without #, lower-cased, each once, in first-given order', () => {
    expect(parseHashtags('#Linen #sewing')).toEqual({ tags: ['linen', 'sewing'], invalid: [] })
    expect(parseHashtags('linen, Sewing,,  #LINEN ##sewing')).toEqual({ tags: ['linen', 'sewing'], invalid: [] })
    expect(parseHashtags('#linen,#sewing\n#new_in')).toEqual({ tags: ['linen', 'sewing', 'new_in'], invalid: [] })
  })

  it('keeps letters of any script and digits, and sets aside what cannot be a hashtag', () => {
    expect(parseHashtags('#Stoffe #tissu_été #布 #2026')).toEqual({ tags: ['stoffe', 'tissu_été', '布', '2026'], invalid: [] })
    expect(parseHashtags('#ok #new-in #🧵 # ###')).toEqual({ tags: ['ok'], invalid: ['#new-in', '#🧵'] })
  })

  it('treats an empty field as no hashtags', () => {
    expect(parseHashtags('')).toEqual({ tags: [], invalid: [] })
    expect(parseHashtags(undefined)).toEqual({ tags: [], invalid: [] })
  })

  it('writes them back with #', () => {
    expect(formatHashtags(['linen', 'sewing'])).toBe('#linen #sewing')
    expect(parseHashtags(formatHashtags(['linen', 'tissu_été'])).tags).toEqual(['linen', 'tissu_été'])
  })
})
