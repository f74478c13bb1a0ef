// Off-site copies of the backups in an S3-compatible bucket (BACKUP_S3_URL), with the standard
// AWS credentials from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, or
// whatever else the SDK's default chain finds).
//
//   BACKUP_S3_URL = s3://bucket/prefix                          (Amazon S3)
//                 = s3://bucket/prefix?endpoint=https://host    (another S3-compatible service;
//                                                               path-style addressing)
//
//   parseS3Url(text)                   → { bucket, prefix, endpoint } or an Error naming the problem
//   uploadToS3(target, file, name)     → multipart for large files (8 MB parts, two at a time)
//   downloadFromS3(target, name, file) → the object into a local file
//   listS3(target)                     → the names under the prefix
import { createReadStream, createWriteStream } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'

export interface S3Target {
  bucket: string
  /** '' or ends with '/'. */
  prefix: string
  endpoint?: string
}

/** The bucket, prefix and endpoint of a BACKUP_S3_URL, or an Error saying what is wrong. */
export function parseS3Url(text: string): S3Target | Error {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return new Error('BACKUP_S3_URL must look like s3://bucket/prefix')
  }
  if (url.protocol !== 's3:' || !url.hostname) return new Error('BACKUP_S3_URL must look like s3://bucket/prefix')
  if (url.username || url.password) {
    return new Error('BACKUP_S3_URL must not hold credentials: use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY')
  }
  const endpoint = url.searchParams.get('endpoint') ?? undefined
  if (endpoint && !/^https?:\/\/[^/]+/.test(endpoint)) return new Error('BACKUP_S3_URL endpoint must be an http(s) address')
  const path = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, '')
  return { bucket: url.hostname, prefix: path ? `${path}/` : '', endpoint }
}

/** Where an S3 object is, for messages (never with credentials). */
export const s3Location = (target: S3Target, name: string) => `s3://${target.bucket}/${target.prefix}${name}`

function client(target: S3Target): S3Client {
  return new S3Client({
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(target.endpoint ? { endpoint: target.endpoint, forcePathStyle: true } : {}),
    // Checksums only where S3 asks for them: S3-compatible services often cannot read the
    // SDK's default chunked uploads with trailing checksums. The file's own SHA-256 is in its manifest.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
}

const PART_BYTES = 8 * 1024 * 1024

/** Uploads a local file as `<prefix><name>`: one request when small, in 8 MB parts when large. */
export async function uploadToS3(target: S3Target, file: string, name: string): Promise<void> {
  const s3 = client(target)
  try {
    await new Upload({
      client: s3,
      params: { Bucket: target.bucket, Key: `${target.prefix}${name}`, Body: createReadStream(file) },
      partSize: PART_BYTES,
      queueSize: 2,
      leavePartsOnError: false,
    }).done()
  } finally {
    s3.destroy()
  }
}

/** Downloads `<prefix><name>` into a local file. */
export async function downloadFromS3(target: S3Target, name: string, file: string): Promise<void> {
  const s3 = client(target)
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: `${target.prefix}${name}` }))
    if (!(object.Body instanceof Readable)) throw new Error(`${s3Location(target, name)} has no content`)
    await pipeline(object.Body, createWriteStream(file))
  } finally {
    s3.destroy()
  }
}

/** The names (without the prefix) of the objects under the prefix, oldest name first. */
export async function listS3(target: S3Target): Promise<string[]> {
  const s3 = client(target)
  const names: string[] = []
  try {
    let token: string | undefined
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: target.bucket, Prefix: target.prefix, ContinuationToken: token }),
      )
      for (const object of page.Contents ?? []) {
        if (object.Key) names.push(object.Key.slice(target.prefix.length))
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token)
  } finally {
    s3.destroy()
  }
  return names.sort()
}
