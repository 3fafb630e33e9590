/* Holds a file open without FILE_SHARE_DELETE (as an editor or a virus scanner may) until its
   standard input closes, so a test can try to replace the file meanwhile. */
#include <windows.h>
#include <stdio.h>
int wmain(int argc, wchar_t **argv) {
    if (argc != 2) { fputs("usage: holdopen FILE\n", stderr); return 2; }
    HANDLE h = CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) { fprintf(stderr, "cannot open: %lu\n", GetLastError()); return 1; }
    puts("held");
    fflush(stdout);
    char buf[64];
    DWORD n;
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    while (ReadFile(in, buf, sizeof buf, &n, NULL) && n > 0) {}
    CloseHandle(h);
    return 0;
}
