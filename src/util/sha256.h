/* sha256.h (internal) - SHA-256 (FIPS 180-4) for the rules digest. */
#ifndef VMCTR_SHA256_H
#define VMCTR_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    size_t n;
} vm_sha256;

void vm_sha256_init(vm_sha256 *s);
void vm_sha256_update(vm_sha256 *s, const void *data, size_t len);
void vm_sha256_hex(vm_sha256 *s, char out[65]);

#endif
