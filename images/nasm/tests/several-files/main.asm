        %include "syscalls.inc"
        global  _start

        section .data
msg:    db      "Hello, files!", 10
len:    equ     $ - msg

        section .text
_start: mov     eax, SYS_WRITE
        mov     edi, 1
        lea     rsi, [rel msg]
        mov     edx, len
        syscall
        mov     eax, SYS_EXIT
        xor     edi, edi
        syscall
