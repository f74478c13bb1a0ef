// What a BACKUP_S3_URL (or an s3:// address given to db:restore) names. Apart from the S3 client
// (s3.server.ts) so that the environment's schema reads the variable without loading the AWS SDK.
//
//   BACKUP_S3_URL = s3://bucket/prefix                          (Amazon S3)
//                 = s3://bucket/prefix?endpoint=https://host    (another S3-compatible service;
//                                                               path-style addressing)

/** The region when neither AWS_REGION nor AWS_DEFAULT_REGION is set. */
export const DEFAULT_REGION = 'us-east-1'

export interface S3Target {
  bucket: string
  /** '' or ends with '/'. */
  prefix: string
  endpoint?: string
  /** AWS_REGION; DEFAULT_REGION when unset. */
  region?: string
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
