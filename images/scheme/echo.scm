(use-modules (ice-9 binary-ports))

(let loop ()
  (let ((chunk (get-bytevector-some (current-input-port))))
    (unless (eof-object? chunk)
      (put-bytevector (current-output-port) chunk)
      (loop))))
(force-output (current-output-port))
