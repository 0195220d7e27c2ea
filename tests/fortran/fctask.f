! fctask.f - Fortran and C tasks exchange messages. The C test task
! (tests/tasks/test_task.c, echo mode) sends every message back as
! it came, through the daemons and then over the direct route; cpeer
! (cpeer.c) unpacks the Fortran message with the C calls and answers
! with the same values packed by C.
! Usage: fctask DIR TEST_TASK (DIR holds cpeer).
      PROGRAM FCTASK
      INCLUDE 'fpvm3.h'
      CHARACTER*512 DIR, TTASK, PATH
      INTEGER ME, ECHO, PEER, NUMT, ENCS(3), E, BUFID, INFO, NBAD
      INTEGER CBAD, BYTES, TAG, SRC, OLD, ROUTE
      DATA ENCS /PVMDEFAULT, PVMRAW, PVMINPLACE/

      CALL GETARG(1, DIR)
      CALL GETARG(2, TTASK)
      CALL PVMFMYTID(ME)
      CALL CHECK(ME .GT. 0, 'pvmfmytid enrolls')

! Spawned without arguments, the test task echoes.
      CALL PVMFSPAWN(TTASK, PVMDEFAULT, ' ', 1, ECHO, NUMT)
      CALL CHECK(NUMT .EQ. 1, 'pvmfspawn of a C task')
      IF (NUMT .NE. 1) CALL FINISH('fctask')
      DO 20 ROUTE = 1, 2
          IF (ROUTE .EQ. 2) THEN
              CALL PVMFSETOPT(PvmRoute, PvmRouteDirect, OLD)
              CALL CHECK(OLD .EQ. PvmAllowDirect, 'direct route on')
          END IF
          DO 10 E = 1, 3
              CALL PVMFINITSEND(ENCS(E), BUFID)
              CALL PACKALL(INFO)
              CALL PVMFSEND(ECHO, 5, INFO)
              CALL PVMFTRECV(ECHO, 5, 10, 0, BUFID)
              CALL PVMFBUFINFO(BUFID, BYTES, TAG, SRC, INFO)
              CALL CHKALL(NBAD)
              CALL CHECK(BUFID .GT. 0 .AND. SRC .EQ. ECHO .AND.
     &                   NBAD .EQ. 0, 'round trip through C echo')
   10     CONTINUE
   20 CONTINUE
      CALL PVMFSETOPT(PvmRoute, PvmAllowDirect, OLD)
      CALL PVMFINITSEND(PVMDEFAULT, BUFID)
      CALL PVMFSEND(ECHO, 99, INFO)

! C unpacks what Fortran packed, and the other way round.
      PATH = DIR(1:LEN_TRIM(DIR)) // '/cpeer'
      CALL PVMFSPAWN(PATH, PVMDEFAULT, ' ', 1, PEER, NUMT)
      CALL CHECK(NUMT .EQ. 1, 'pvmfspawn of cpeer')
      IF (NUMT .NE. 1) CALL FINISH('fctask')
      DO 30 E = 1, 3
          CALL PVMFINITSEND(ENCS(E), BUFID)
          CALL PVMFPACK(INTEGER4, ENCS(E), 1, 1, INFO)
          CALL PACKALL(INFO)
          CALL PVMFSEND(PEER, 1, INFO)
          CALL PVMFTRECV(PEER, 2, 10, 0, BUFID)
          CALL CHKALL(NBAD)
          CBAD = -1
          CALL PVMFUNPACK(INTEGER4, CBAD, 1, 1, INFO)
          CALL CHECK(BUFID .GT. 0 .AND. CBAD .EQ. 0,
     &               'C unpacks every Fortran type')
          CALL CHECK(NBAD .EQ. 0, 'Fortran unpacks every C type')
   30 CONTINUE
      CALL PVMFINITSEND(PVMDEFAULT, BUFID)
      CALL PVMFSEND(PEER, 99, INFO)
      CALL PVMFEXIT(INFO)
      CALL FINISH('fctask')
      END
