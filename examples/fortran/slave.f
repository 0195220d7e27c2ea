! slave.f - the worker of master.f: takes the tid list and its slice
! from the parent, and returns its place in the list and the sum of
! the slice.
      PROGRAM SLAVE
      INCLUDE 'fpvm3.h'
      INTEGER MAXP, MAXM
      PARAMETER (MAXP = 32, MAXM = 100000)
      DOUBLE PRECISION X(MAXM), SUM
      INTEGER ME, PARENT, NPROC, TIDS(MAXP), M, I, WHO, INFO, BUFID

      CALL PVMFMYTID(ME)
      CALL PVMFPARENT(PARENT)
      IF (PARENT .LT. 0) THEN
          PRINT '(A)', 'slave: start me from master, not by hand'
          CALL PVMFEXIT(INFO)
          STOP 1
      END IF
      CALL PVMFRECV(PARENT, 1, BUFID)
      CALL PVMFUNPACK(INTEGER4, NPROC, 1, 1, INFO)
      IF (NPROC .GT. MAXP) STOP 1
      CALL PVMFUNPACK(INTEGER4, TIDS, NPROC, 1, INFO)
      WHO = 0
      DO 10 I = 1, NPROC
          IF (TIDS(I) .EQ. ME) WHO = I
   10 CONTINUE
      CALL PVMFRECV(PARENT, 2, BUFID)
      CALL PVMFUNPACK(INTEGER4, M, 1, 1, INFO)
      IF (M .GT. MAXM) STOP 1
      CALL PVMFUNPACK(REAL8, X, M, 1, INFO)
      SUM = 0
      DO 20 I = 1, M
          SUM = SUM + X(I)
   20 CONTINUE
      CALL PVMFINITSEND(PVMDEFAULT, BUFID)
      CALL PVMFPACK(INTEGER4, WHO, 1, 1, INFO)
      CALL PVMFPACK(REAL8, SUM, 1, 1, INFO)
      CALL PVMFSEND(PARENT, 3, INFO)
      CALL PVMFEXIT(INFO)
      END
