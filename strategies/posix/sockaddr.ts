// The shape of a Unix socket address (sockaddr_un): sun_family (uint16), then a
// 108-byte NUL-terminated path. Kept apart from libc.ts so that checking an
// address does not load the C library.

export const SOCKADDR_UN_BYTES = 110;
export const SUN_PATH_MAX = 107;
