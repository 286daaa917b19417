(let ((total 0))
  (loop for x = (read *standard-input* nil nil)
        while x
        do (incf total x))
  (format t "~d~%" total))
