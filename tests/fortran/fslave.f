! fslave.f - the Fortran task fmessages spawns. It answers its
! parent's messages by tag until tag 99:
!   1  INTEGER4 encoding, then the message of fcheck.f: checks it and
!      sends it back in that encoding (tag 2), then INTEGER4 the
!      number of items that were wrong
!   3  INTEGER4 X (a multicast): answers (tag 4) X, its tid, its
!      parent, the sender, and the count and its index among the
!      tasks spawned with it
!   7  takes a REAL8(4) with pvmfprecv (tag 5), sends it back doubled
!      with pvmfpsend (tag 6)
!   8  sends two messages with tag 77 holding INTEGER4 1 and 2
!   9  joins the group 'fortran trio' and takes part in what
!      fmessages does with it (barrier, reduce, gather, barrier)
      PROGRAM FSLAVE
      INCLUDE 'fpvm3.h'
      INTEGER ME, PARENT, BUFID, BYTES, TAG, SRC, INFO, ENC, NBAD
      INTEGER X, NSIB, IDX, SIB, K, ATID, ATAG, ALEN, INUM, IV(2)
      EXTERNAL IADD
      DOUBLE PRECISION V(4)

      CALL PVMFMYTID(ME)
      CALL PVMFPARENT(PARENT)
      IF (ME .LT. 0 .OR. PARENT .LT. 0) STOP 2
   10 CONTINUE
      CALL PVMFRECV(PARENT, -1, BUFID)
      IF (BUFID .LT. 0) GOTO 90
      CALL PVMFBUFINFO(BUFID, BYTES, TAG, SRC, INFO)
      IF (TAG .EQ. 99) GOTO 90
      IF (TAG .EQ. 1) THEN
          CALL PVMFUNPACK(INTEGER4, ENC, 1, 1, INFO)
          CALL CHKALL(NBAD)
          CALL PVMFINITSEND(ENC, INFO)
          CALL PACKALL(INFO)
          CALL PVMFPACK(INTEGER4, NBAD, 1, 1, INFO)
          CALL PVMFSEND(PARENT, 2, INFO)
      ELSE IF (TAG .EQ. 3) THEN
          CALL PVMFUNPACK(INTEGER4, X, 1, 1, INFO)
          CALL PVMFSIBLINGS(NSIB, -1, SIB)
          IDX = -1
          DO 20 K = 0, NSIB - 1
              CALL PVMFSIBLINGS(NSIB, K, SIB)
              IF (SIB .EQ. ME) IDX = K
   20     CONTINUE
          CALL PVMFINITSEND(PVMDEFAULT, INFO)
          CALL PVMFPACK(INTEGER4, X, 1, 1, INFO)
          CALL PVMFPACK(INTEGER4, ME, 1, 1, INFO)
          CALL PVMFPACK(INTEGER4, PARENT, 1, 1, INFO)
          CALL PVMFPACK(INTEGER4, SRC, 1, 1, INFO)
          CALL PVMFPACK(INTEGER4, NSIB, 1, 1, INFO)
          CALL PVMFPACK(INTEGER4, IDX, 1, 1, INFO)
          CALL PVMFSEND(PARENT, 4, INFO)
      ELSE IF (TAG .EQ. 7) THEN
          CALL PVMFPRECV(PARENT, 5, V, 4, REAL8, ATID, ATAG, ALEN,
     &                   INFO)
          DO 30 K = 1, 4
              V(K) = 2 * V(K)
   30     CONTINUE
          CALL PVMFPSEND(PARENT, 6, V, 4, REAL8, INFO)
      ELSE IF (TAG .EQ. 8) THEN
          DO 40 K = 1, 2
              CALL PVMFINITSEND(PVMRAW, INFO)
              CALL PVMFPACK(INTEGER4, K, 1, 1, INFO)
              CALL PVMFSEND(PARENT, 77, INFO)
   40     CONTINUE
      ELSE IF (TAG .EQ. 9) THEN
          CALL PVMFJOINGROUP('fortran trio', INUM)
          CALL PVMFBARRIER('fortran trio', 3, INFO)
          IV(1) = INUM
          IV(2) = 1
          CALL PVMFREDUCE(IADD, IV, 2, INTEGER4, 41, 'fortran trio', 0,
     &                    INFO)
          CALL PVMFGATHER(IV, ME, 1, INTEGER4, 42, 'fortran trio', 0,
     &                    INFO)
          CALL PVMFBARRIER('fortran trio', 3, INFO)
          CALL PVMFLVGROUP('fortran trio', INFO)
      END IF
      GOTO 10
! The parent collects this line with pvmfcatchout.
   90 PRINT '(A)', 'fslave: stopping'
      CALL PVMFEXIT(INFO)
      END
