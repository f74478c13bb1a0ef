// A tiny WebSocket → TCP proxy, so that Neon's serverless driver can talk to a local
// PostgreSQL in tests (there is no Neon here). Every connection is piped to `target`.
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'

export interface WsProxy {
  port: number
  close(): Promise<void>
}

export async function startWsProxy(target = { host: '127.0.0.1', port: 5432 }): Promise<WsProxy> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  server.on('connection', (socket) => {
    const tcp = net.connect(target)
    tcp.on('data', (chunk) => socket.send(chunk))
    tcp.on('close', () => socket.close())
    tcp.on('error', () => socket.terminate())
    socket.on('message', (data: Buffer) => tcp.write(data))
    socket.on('close', () => tcp.end())
    socket.on('error', () => tcp.destroy())
  })
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate()
        server.close(() => resolve())
      }),
  }
}
