! master.f - a master and its slaves in Fortran 77. The master
! spawns NPROC slaves (slave.f), multicasts them the list of their
! tids, sends each one slice of an array, and adds up the sums they
! return. The array holds 1, 2, ..., so the total must be N(N+1)/2.
! Run with a pvmd up: ./master [nproc [slave path]]  (default 4
! slaves, and the slave beside this program).
      PROGRAM MASTER
      INCLUDE 'fpvm3.h'
      INTEGER MAXP, M
      PARAMETER (MAXP = 32, M = 1000)
      INTEGER TLIST, TSLICE, TSUM
      PARAMETER (TLIST = 1, TSLICE = 2, TSUM = 3)
      CHARACTER*512 SLAVE, HERE
      CHARACTER*16 ARG
      DOUBLE PRECISION VALS(M * MAXP), PART, TOTAL, WANT
      INTEGER ME, NPROC, TIDS(MAXP), NUMT, I, K, INFO, BUFID, BYTES
      INTEGER TAG, SRC, WHO, DONE(MAXP), NDONE

      CALL PVMFMYTID(ME)
      IF (ME .LT. 0) THEN
          PRINT '(A)', 'master: no pvmd running (start one with pvmd)'
          STOP 1
      END IF
      NPROC = 4
      IF (IARGC() .GE. 1) THEN
          CALL GETARG(1, ARG)
          READ (ARG, *) NPROC
      END IF
      IF (NPROC .LT. 1 .OR. NPROC .GT. MAXP) THEN
          PRINT '(A,I0,A)', 'usage: master [nproc (1-', MAXP,
     &        ') [slave path]]'
          CALL PVMFEXIT(INFO)
          STOP 2
      END IF
      IF (IARGC() .GE. 2) THEN
          CALL GETARG(2, SLAVE)
      ELSE
          CALL GETARG(0, SLAVE)
          K = INDEX(SLAVE, '/', .TRUE.)
          SLAVE = SLAVE(1:K) // 'slave'
          IF (SLAVE(1:1) .NE. '/') THEN
              CALL GETCWD(HERE)
              SLAVE = HERE(1:LEN_TRIM(HERE)) // '/' // SLAVE
          END IF
      END IF

      CALL PVMFSPAWN(SLAVE, PVMDEFAULT, '*', NPROC, TIDS, NUMT)
      IF (NUMT .NE. NPROC) THEN
          PRINT '(A,I0,A,I0)', 'master: started ', NUMT, ' of ', NPROC
          DO 10 I = 1, NPROC
              IF (TIDS(I) .GT. 0) CALL PVMFKILL(TIDS(I), INFO)
   10     CONTINUE
          CALL PVMFEXIT(INFO)
          STOP 1
      END IF
      PRINT '(A,Z0,A,I0,A)', 'master t', ME, ': ', NPROC, ' slaves'

! Every slave learns all the tids; its place in the list is its
! slice.
      CALL PVMFINITSEND(PVMDEFAULT, BUFID)
      CALL PVMFPACK(INTEGER4, NPROC, 1, 1, INFO)
      CALL PVMFPACK(INTEGER4, TIDS, NPROC, 1, INFO)
      CALL PVMFMCAST(NPROC, TIDS, TLIST, INFO)
      DO 20 I = 1, M * NPROC
          VALS(I) = I
   20 CONTINUE
      DO 30 I = 1, NPROC
          CALL PVMFINITSEND(PVMRAW, BUFID)
          CALL PVMFPACK(INTEGER4, M, 1, 1, INFO)
          CALL PVMFPACK(REAL8, VALS((I - 1) * M + 1), M, 1, INFO)
          CALL PVMFSEND(TIDS(I), TSLICE, INFO)
          DONE(I) = 0
   30 CONTINUE

! The sums come back in any order.
      TOTAL = 0
      NDONE = 0
      DO 40 K = 1, NPROC
          CALL PVMFRECV(-1, TSUM, BUFID)
          IF (BUFID .LT. 0) GOTO 41
          CALL PVMFBUFINFO(BUFID, BYTES, TAG, SRC, INFO)
          CALL PVMFUNPACK(INTEGER4, WHO, 1, 1, INFO)
          CALL PVMFUNPACK(REAL8, PART, 1, 1, INFO)
          IF (WHO .LT. 1 .OR. WHO .GT. NPROC) GOTO 40
          IF (TIDS(WHO) .NE. SRC .OR. DONE(WHO) .NE. 0) GOTO 40
          PRINT '(A,Z0,A,I0,A,F0.1)', 'slave t', SRC, ' slice ', WHO,
     &        ': ', PART
          DONE(WHO) = 1
          NDONE = NDONE + 1
          TOTAL = TOTAL + PART
   40 CONTINUE
   41 WANT = DBLE(M * NPROC) * DBLE(M * NPROC + 1) / 2
      IF (NDONE .EQ. NPROC .AND. TOTAL .EQ. WANT) THEN
          PRINT '(A,F0.1,A,F0.1,A)', 'total ', TOTAL, ', expected ',
     &        WANT, ': ok'
      ELSE
          PRINT '(A,F0.1,A,F0.1,A)', 'total ', TOTAL, ', expected ',
     &        WANT, ': MISMATCH'
      END IF
      CALL PVMFEXIT(INFO)
      IF (NDONE .NE. NPROC .OR. TOTAL .NE. WANT) STOP 1
      END
