(defun greet (name)
  (format nil "Hello, ~a!" name))
