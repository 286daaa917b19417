        global  _start

        section .data
msg:    db      "Hello, world!", 10
len:    equ     $ - msg

        section .text
_start: mov     rax, 1          ; write
        mov     rdi, 1          ; stdout
        lea     rsi, [rel msg]
        mov     rdx, len
        syscall
        mov     rax, 60         ; exit
        xor     rdi, rdi
        syscall
