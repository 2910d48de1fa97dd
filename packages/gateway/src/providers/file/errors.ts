import { PortcullisError } from '@portcullis/core';

/** Stable codes of the File provider's errors. */
export const FileProviderErrorCode = {
  /** The manifest directory (or a file in it) could not be read: the first sync fails, nothing is emitted. */
  ReadFailed: 'FileProviderReadFailed',
} as const;
export type FileProviderErrorCode = (typeof FileProviderErrorCode)[keyof typeof FileProviderErrorCode];

/** The manifest directory cannot be read. Retryable: the directory may appear or become readable. */
export class FileProviderReadError extends PortcullisError {
  constructor(path: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(FileProviderErrorCode.ReadFailed, `file provider: ${path}: cannot read manifests: ${detail}`, {
      retryable: true,
      cause,
    });
  }
}
