; Reads standard input to its end, then counts the bytes it read in r12 and
; prints "eof after N bytes" for a count below 100.
        global  _start

        section .bss
buf:    resb    4096

        section .data
msg:    db      "eof after "
num:    db      "00 bytes", 10
msglen: equ     $ - msg

        section .text
_start: xor     r12, r12
.read:  xor     eax, eax        ; read(0, buf, 4096)
        xor     edi, edi
        lea     rsi, [rel buf]
        mov     edx, 4096
        syscall
        test    rax, rax
        js      .fail
        jz      .eof
        add     r12, rax
        jmp     .read
.eof:   mov     rax, r12        ; two decimal digits
        xor     edx, edx
        mov     ecx, 10
        div     rcx
        add     al, '0'
        add     dl, '0'
        mov     [rel num], al
        mov     [rel num + 1], dl
        mov     eax, 1          ; write(1, msg, msglen)
        mov     edi, 1
        lea     rsi, [rel msg]
        mov     edx, msglen
        syscall
        mov     eax, 60         ; exit(0)
        xor     edi, edi
        syscall
.fail:  mov     eax, 60         ; exit(1)
        mov     edi, 1
        syscall
