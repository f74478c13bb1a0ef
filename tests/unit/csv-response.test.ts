import { describe, expect, it } from 'vitest'
import { csvResponse } from '~/services/http.server'

describe('csvResponse', () => {
  it('answers a CSV download that no cache keeps and no browser sniffs', async () => {
    const response = csvResponse({ body: 'a,b\r\n1,2\r\n', filename: 'orders-2026-01-31.csv' })
    expect(response.status).toBe(200)
    expect(Object.fromEntries(response.headers)).toEqual({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="orders-2026-01-31.csv"',
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    })
    expect(await response.text()).toBe('a,b\r\n1,2\r\n')
  })

  it('streams a body given as a stream, as it comes', async () => {
    const encoder = new TextEncoder()
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('name\r\n'))
        controller.enqueue(encoder.encode('Linen\r\n'))
        controller.close()
      },
    })
    const response = csvResponse({ body, filename: 'EtsyListingsDownload.csv' })
    expect(response.body).toBe(body)
    expect(await response.text()).toBe('name\r\nLinen\r\n')
  })
})
