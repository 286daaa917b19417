        global  _start

        section .data
err:    db      "to stderr", 10
out:    db      "to stdout", 10

        section .text
_start: mov     eax, 1
        mov     edi, 2
        lea     rsi, [rel err]
        mov     edx, 10
        syscall
        mov     eax, 1
        mov     edi, 1
        lea     rsi, [rel out]
        mov     edx, 10
        syscall
        mov     eax, 60
        xor     edi, edi
        syscall
