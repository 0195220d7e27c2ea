! fcheck.f - what the Fortran test programs share: CHECK and FINISH
! report results, and PACKALL / CHKALL pack and check one message
! holding every pvmfpack type. cpeer.c packs and checks the same
! message with the C calls, item for item.
!
! The message: INTEGER4 I4(5), INTEGER2 I2(3), BYTE1 B4 (4 bytes),
! STRING STR (14 characters), REAL4 R4(3), REAL8 R8(3), COMPLEX8
! C8(2), COMPLEX16 Z16(2), INTEGER8 I8(2), and REAL8 S8(1), S8(3),
! S8(5) packed with stride 2.

! CHECK counts a failed condition and says which, so that one run
! reports every failure; FINISH ends the program with status 1 if
! anything failed.
      SUBROUTINE CHECK(OK, WHAT)
      LOGICAL OK
      CHARACTER*(*) WHAT
      INTEGER NFAIL
      COMMON /FTEST/ NFAIL
      IF (OK) THEN
          PRINT '(A,A)', 'ok     ', WHAT
      ELSE
          PRINT '(A,A)', 'FAILED ', WHAT
          NFAIL = NFAIL + 1
      END IF
      END

      SUBROUTINE FINISH(PROG)
      CHARACTER*(*) PROG
      INTEGER NFAIL
      COMMON /FTEST/ NFAIL
      IF (NFAIL .GT. 0) THEN
          PRINT '(A,A,I0,A)', PROG, ': ', NFAIL, ' checks failed'
          STOP 1
      END IF
      PRINT '(A,A)', PROG, ': all checks passed'
      END

! IADD is a reduction function for pvmfreduce: X = X + Y over NUM
! INTEGER4 items.
      SUBROUTINE IADD(DTYPE, X, Y, NUM, INFO)
      INTEGER DTYPE, NUM, INFO, X(NUM), Y(NUM), K
      DO 10 K = 1, NUM
          X(K) = X(K) + Y(K)
   10 CONTINUE
      INFO = 0
      IF (DTYPE .NE. 3) INFO = -2
      END

! The expected values live in COMMON, not in locals: with PVMINPLACE
! the message reads them when it is sent, after PACKALL returned.
      BLOCK DATA CANON
      DOUBLE COMPLEX Z16(2)
      DOUBLE PRECISION R8(3), S8(6)
      INTEGER*8 I8(2)
      COMPLEX C8(2)
      REAL R4(3)
      INTEGER I4(5), NFAIL
      INTEGER*2 I2(3)
      CHARACTER*4 B4
      CHARACTER*14 STR
      COMMON /CANONN/ Z16, R8, S8, I8, C8, R4, I4, I2
      COMMON /CANONC/ B4, STR
      COMMON /FTEST/ NFAIL
      DATA Z16 /(1.0D0, -2.0D0), (1.0D-300, 3.0D0)/
      DATA R8 /1.5D0, -0.125D0, 1.0D300/
      DATA S8 /1.0D0, 2.0D0, 3.0D0, 4.0D0, 5.0D0, 6.0D0/
      DATA I8 /1099511627781_8, -1099511627781_8/
      DATA C8 /(1.0, -2.0), (0.5, 4.0)/
      DATA R4 /1.5, -0.25, 3.0E30/
      DATA I4 /1, -2, 30000000, -2147483647, 2147483647/
      DATA I2 /1, -2, 32767/
      DATA B4 /'pV#m'/
      DATA STR /'hello, fortran'/
      DATA NFAIL /0/
      END

! PACKALL packs the message into the active send buffer; INFO is 0
! or the first error.
      SUBROUTINE PACKALL(INFO)
      INCLUDE 'fpvm3.h'
      INTEGER INFO, CC(10), K
      DOUBLE COMPLEX Z16(2)
      DOUBLE PRECISION R8(3), S8(6)
      INTEGER*8 I8(2)
      COMPLEX C8(2)
      REAL R4(3)
      INTEGER I4(5)
      INTEGER*2 I2(3)
      CHARACTER*4 B4
      CHARACTER*14 STR
      COMMON /CANONN/ Z16, R8, S8, I8, C8, R4, I4, I2
      COMMON /CANONC/ B4, STR
      CALL PVMFPACK(INTEGER4, I4, 5, 1, CC(1))
      CALL PVMFPACK(INTEGER2, I2, 3, 1, CC(2))
      CALL PVMFPACK(BYTE1, B4, 4, 1, CC(3))
      CALL PVMFPACK(STRING, STR, 14, 1, CC(4))
      CALL PVMFPACK(REAL4, R4, 3, 1, CC(5))
      CALL PVMFPACK(REAL8, R8, 3, 1, CC(6))
      CALL PVMFPACK(COMPLEX8, C8, 2, 1, CC(7))
      CALL PVMFPACK(COMPLEX16, Z16, 2, 1, CC(8))
      CALL PVMFPACK(INTEGER8, I8, 2, 1, CC(9))
      CALL PVMFPACK(REAL8, S8, 3, 2, CC(10))
      INFO = 0
      DO 10 K = 10, 1, -1
          IF (CC(K) .NE. 0) INFO = CC(K)
   10 CONTINUE
      END

! CHKALL unpacks the message from the active receive buffer and
! returns the number of items that failed to unpack or differ. The
! strided REAL8 items are unpacked with stride 2 as well.
      SUBROUTINE CHKALL(NBAD)
      INCLUDE 'fpvm3.h'
      INTEGER NBAD, CC(10), K
      DOUBLE COMPLEX Z16(2), XZ16(2)
      DOUBLE PRECISION R8(3), S8(6), XR8(3), XS8(6)
      INTEGER*8 I8(2), XI8(2)
      COMPLEX C8(2), XC8(2)
      REAL R4(3), XR4(3)
      INTEGER I4(5), XI4(5)
      INTEGER*2 I2(3), XI2(3)
      CHARACTER*4 B4, XB4
      CHARACTER*14 STR, XSTR
      COMMON /CANONN/ Z16, R8, S8, I8, C8, R4, I4, I2
      COMMON /CANONC/ B4, STR
      DO 5 K = 1, 6
          XS8(K) = -1.0D0
    5 CONTINUE
      CALL PVMFUNPACK(INTEGER4, XI4, 5, 1, CC(1))
      CALL PVMFUNPACK(INTEGER2, XI2, 3, 1, CC(2))
      CALL PVMFUNPACK(BYTE1, XB4, 4, 1, CC(3))
      CALL PVMFUNPACK(STRING, XSTR, 14, 1, CC(4))
      CALL PVMFUNPACK(REAL4, XR4, 3, 1, CC(5))
      CALL PVMFUNPACK(REAL8, XR8, 3, 1, CC(6))
      CALL PVMFUNPACK(COMPLEX8, XC8, 2, 1, CC(7))
      CALL PVMFUNPACK(COMPLEX16, XZ16, 2, 1, CC(8))
      CALL PVMFUNPACK(INTEGER8, XI8, 2, 1, CC(9))
      CALL PVMFUNPACK(REAL8, XS8, 3, 2, CC(10))
      NBAD = 0
      DO 10 K = 1, 10
          IF (CC(K) .NE. 0) NBAD = NBAD + 1
   10 CONTINUE
      DO 20 K = 1, 5
          IF (XI4(K) .NE. I4(K)) NBAD = NBAD + 1
   20 CONTINUE
      DO 30 K = 1, 3
          IF (XI2(K) .NE. I2(K)) NBAD = NBAD + 1
          IF (XR4(K) .NE. R4(K)) NBAD = NBAD + 1
          IF (XR8(K) .NE. R8(K)) NBAD = NBAD + 1
   30 CONTINUE
      DO 40 K = 1, 2
          IF (XC8(K) .NE. C8(K)) NBAD = NBAD + 1
          IF (XZ16(K) .NE. Z16(K)) NBAD = NBAD + 1
          IF (XI8(K) .NE. I8(K)) NBAD = NBAD + 1
   40 CONTINUE
      IF (XB4 .NE. B4) NBAD = NBAD + 1
      IF (XSTR .NE. STR) NBAD = NBAD + 1
! Stride 2 on both sides: odd elements arrive, even ones stay -1.
      DO 50 K = 1, 5, 2
          IF (XS8(K) .NE. S8(K)) NBAD = NBAD + 1
          IF (XS8(K + 1) .NE. -1.0D0) NBAD = NBAD + 1
   50 CONTINUE
      END
