// Off-site copies of the backups in an S3-compatible bucket (BACKUP_S3_URL, read in s3-url.ts), in
// the target's region, with the standard AWS credentials from the environment (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, or whatever else the SDK's default chain finds).
//
//   uploadToS3(target, file, name)     → multipart for large files (8 MB parts, two at a time)
//   downloadFromS3(target, name, file) → the object into a local file
//   listS3(target)                     → the names under the prefix
import { createReadStream, createWriteStream } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { DEFAULT_REGION, s3Location, type S3Target } from './s3-url'

function client(target: S3Target): S3Client {
  return new S3Client({
    region: target.region ?? DEFAULT_REGION,
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
