! hello.f - the smallest PVM program in Fortran 77: spawn one
! greeter (hello_other.f) and print what it says.
! Build:  gfortran -fallow-argument-mismatch -I$PREFIX/include
!             hello.f -o hello -L$PREFIX/lib -lfpvm3 -lpvm3
! (gfortran 10 and later need the option for classic code that packs
! INTEGER and CHARACTER data with the same routine).
! Run with a pvmd up: ./hello [path of hello_other]; by default the
! greeter is the hello_other beside this program.
      PROGRAM HELLO
      INCLUDE 'fpvm3.h'
      CHARACTER*512 OTHER, HERE
      CHARACTER*256 GREET
      INTEGER ME, CHILD, NUMT, BUFID, BYTES, TAG, SRC, N, INFO, K

      CALL PVMFMYTID(ME)
      IF (ME .LT. 0) THEN
          PRINT '(A)', 'hello: no pvmd running (start one with pvmd)'
          STOP 1
      END IF
! GETARG and GETCWD are the usual extensions of Fortran 77 compilers.
      IF (IARGC() .GE. 1) THEN
          CALL GETARG(1, OTHER)
      ELSE
          CALL GETARG(0, OTHER)
          K = INDEX(OTHER, '/', .TRUE.)
          OTHER = OTHER(1:K) // 'hello_other'
! pvmd starts tasks in $HOME: a relative path must become absolute.
          IF (OTHER(1:1) .NE. '/') THEN
              CALL GETCWD(HERE)
              OTHER = HERE(1:LEN_TRIM(HERE)) // '/' // OTHER
          END IF
      END IF
      PRINT '(A,Z0)', 'i''m t', ME
      CALL PVMFSPAWN(OTHER, PVMDEFAULT, '*', 1, CHILD, NUMT)
      IF (NUMT .NE. 1) THEN
          PRINT '(A,A,A,I0)', 'can''t start ', OTHER(1:LEN_TRIM(OTHER)),
     &        ': ', CHILD
          CALL PVMFEXIT(INFO)
          STOP 1
      END IF
! The greeting is N characters: an INTEGER4 count, then a STRING.
      CALL PVMFRECV(-1, -1, BUFID)
      CALL PVMFBUFINFO(BUFID, BYTES, TAG, SRC, INFO)
      CALL PVMFUNPACK(INTEGER4, N, 1, 1, INFO)
      GREET = ' '
      CALL PVMFUNPACK(STRING, GREET, MIN(N, LEN(GREET)), 1, INFO)
      PRINT '(A,Z0,A,A)', 'from t', SRC, ': ', GREET(1:LEN_TRIM(GREET))
      CALL PVMFEXIT(INFO)
      END
