/*
 * For the tests under Wine only; never shipped (the MSI does not hold it).
 *
 * Rust's standard library (1.78 and newer) gets its random bytes from ProcessPrng in
 * bcryptprimitives.dll, which every supported Windows has but Wine 8.0 (Debian 12) does not
 * export, so a Rust program stops at its first HashMap there. Put beside the exe, this DLL
 * answers ProcessPrng from BCryptGenRandom, which Wine has. tools/test-windows.sh builds it
 * with MinGW-w64 and loads it with WINEDLLOVERRIDES=bcryptprimitives=n.
 */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE out, SIZE_T len)
{
    /* BCryptGenRandom takes a 32-bit length: fill large requests in parts. */
    while (len > 0) {
        ULONG part = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (BCryptGenRandom(NULL, out, part, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) {
            return FALSE;
        }
        out += part;
        len -= part;
    }
    return TRUE;
}
