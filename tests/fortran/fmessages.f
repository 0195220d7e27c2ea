! fmessages.f - a Fortran task spawns two Fortran tasks (fslave.f)
! and exchanges messages with them: every pvmfpack type in every
! encoding both ways, pvmfmcast, a group of three (barrier, reduce
! with a Fortran function, gather), pvmfpsend/pvmfprecv, pvmfnrecv,
! pvmfprobe and pvmftrecv, pvmftasks, pvmfsendsig, pvmfnotify and
! pvmfkill, and pvmfcatchout (the driver looks for the slaves' lines).
! Usage: fmessages DIR (the directory that holds fslave).
      PROGRAM FMSG
      INCLUDE 'fpvm3.h'
      CHARACTER*512 DIR, PATH
      CHARACTER*64 AOUT
      INTEGER ME, TIDS(2), NUMT, ENCS(3), E, BUFID, INFO, NBAD, SBAD
      INTEGER BYTES, TAG, SRC, K, X, REPLY(6), SEEN(0:1), MYHOST
      INTEGER ATID, ATAG, ALEN, B2, N, NTASK, TID, PTID, DTID, FLAG
      INTEGER NFOUND, T0, T1, RATE, STATUS, DEAD, OLD, INUM, IV(2), G(3)
      DOUBLE PRECISION V(4), W(4)
      EXTERNAL IADD
      DATA ENCS /PVMDEFAULT, PVMRAW, PVMINPLACE/
      DATA V /1.0D0, -2.5D0, 1.0D100, 0.0D0/

      CALL GETARG(1, DIR)
      PATH = DIR(1:LEN_TRIM(DIR)) // '/fslave'
      CALL PVMFMYTID(ME)
      CALL CHECK(ME .GT. 0, 'pvmfmytid enrolls')
      CALL PVMFTIDTOH(ME, MYHOST)
      CALL PVMFCATCHOUT(1, INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmfcatchout(1)')
      CALL PVMFSPAWN(PATH, PVMDEFAULT, '*', 2, TIDS, NUMT)
      CALL CHECK(NUMT .EQ. 2, 'pvmfspawn starts two Fortran tasks')
      IF (NUMT .NE. 2) CALL FINISH('fmessages')

! Every type, every encoding, there and back.
      DO 10 E = 1, 3
          CALL PVMFINITSEND(ENCS(E), BUFID)
          CALL CHECK(BUFID .GT. 0, 'pvmfinitsend')
          CALL PVMFPACK(INTEGER4, ENCS(E), 1, 1, INFO)
          CALL PACKALL(INFO)
          CALL CHECK(INFO .EQ. 0, 'pvmfpack of every type')
          CALL PVMFSEND(TIDS(1), 1, INFO)
          CALL CHECK(INFO .EQ. 0, 'pvmfsend')
          CALL PVMFTRECV(TIDS(1), 2, 10, 0, BUFID)
          CALL CHECK(BUFID .GT. 0, 'pvmftrecv gets the answer')
          CALL PVMFBUFINFO(BUFID, BYTES, TAG, SRC, INFO)
          CALL CHECK(INFO .EQ. 0 .AND. BYTES .GT. 100 .AND.
     &               TAG .EQ. 2 .AND. SRC .EQ. TIDS(1), 'pvmfbufinfo')
          CALL CHKALL(NBAD)
          SBAD = -1
          CALL PVMFUNPACK(INTEGER4, SBAD, 1, 1, INFO)
          CALL CHECK(NBAD .EQ. 0 .AND. SBAD .EQ. 0,
     &               'every type arrives intact both ways')
          CALL PVMFSETOPT(PvmAutoErr, 0, OLD)
          CALL PVMFUNPACK(INTEGER4, X, 1, 1, INFO)
          CALL CHECK(INFO .EQ. PvmNoData, 'unpack past the end')
          CALL PVMFSETOPT(PvmAutoErr, OLD, OLD)
   10 CONTINUE

! Multicast: each slave answers once, with its place among siblings.
      CALL PVMFINITSEND(PVMDEFAULT, BUFID)
      X = 21
      CALL PVMFPACK(INTEGER4, X, 1, 1, INFO)
      CALL PVMFMCAST(2, TIDS, 3, INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmfmcast')
      SEEN(0) = 0
      SEEN(1) = 0
      DO 20 K = 1, 2
          CALL PVMFTRECV(-1, 4, 10, 0, BUFID)
          CALL PVMFUNPACK(INTEGER4, REPLY, 6, 1, INFO)
          CALL CHECK(BUFID .GT. 0 .AND. INFO .EQ. 0 .AND.
     &               REPLY(1) .EQ. 21, 'multicast reaches a slave')
          CALL CHECK(REPLY(3) .EQ. ME .AND. REPLY(4) .EQ. ME,
     &               'pvmfparent in the slave is the spawner')
          CALL CHECK(REPLY(5) .EQ. 2 .AND. REPLY(6) .GE. 0 .AND.
     &               REPLY(6) .LE. 1, 'pvmfsiblings counts two')
          IF (REPLY(6) .GE. 0 .AND. REPLY(6) .LE. 1) THEN
              IF (TIDS(REPLY(6) + 1) .EQ. REPLY(2))
     &            SEEN(REPLY(6)) = SEEN(REPLY(6)) + 1
          END IF
   20 CONTINUE
      CALL CHECK(SEEN(0) .EQ. 1 .AND. SEEN(1) .EQ. 1,
     &           'pvmfsiblings lists the tids in spawn order')

! A group of three: this task joins first (instance 0), then tells
! the slaves to join. A reduction with a Fortran function (IADD)
! adds everyone's (instance, 1); a gather collects their tids.
      CALL PVMFJOINGROUP('fortran trio', INUM)
      CALL CHECK(INUM .EQ. 0, 'pvmfjoingroup first gets instance 0')
      CALL PVMFINITSEND(PVMDEFAULT, BUFID)
      CALL PVMFMCAST(2, TIDS, 9, INFO)
      CALL PVMFBARRIER('fortran trio', 3, INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmfbarrier of three')
      IV(1) = INUM
      IV(2) = 1
      CALL PVMFREDUCE(IADD, IV, 2, INTEGER4, 41, 'fortran trio', 0,
     &                INFO)
      CALL CHECK(INFO .EQ. 0 .AND. IV(1) .EQ. 3 .AND. IV(2) .EQ. 3,
     &           'pvmfreduce with a Fortran function')
      CALL PVMFGATHER(G, ME, 1, INTEGER4, 42, 'fortran trio', 0, INFO)
      CALL CHECK(INFO .EQ. 0 .AND. G(1) .EQ. ME .AND.
     &           ((G(2) .EQ. TIDS(1) .AND. G(3) .EQ. TIDS(2)) .OR.
     &            (G(2) .EQ. TIDS(2) .AND. G(3) .EQ. TIDS(1))),
     &           'pvmfgather in instance order')
      CALL PVMFBARRIER('fortran trio', 3, INFO)
      CALL PVMFLVGROUP('fortran trio', INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmflvgroup')

! psend / precv
      CALL PVMFINITSEND(PVMDEFAULT, BUFID)
      CALL PVMFSEND(TIDS(1), 7, INFO)
      CALL PVMFPSEND(TIDS(1), 5, V, 4, REAL8, INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmfpsend')
      CALL PVMFPRECV(TIDS(1), 6, W, 4, REAL8, ATID, ATAG, ALEN, INFO)
      CALL CHECK(INFO .EQ. 0 .AND. ATID .EQ. TIDS(1) .AND.
     &           ATAG .EQ. 6 .AND. ALEN .EQ. 32, 'pvmfprecv')
      CALL CHECK(W(1) .EQ. 2 * V(1) .AND. W(2) .EQ. 2 * V(2) .AND.
     &           W(3) .EQ. 2 * V(3) .AND. W(4) .EQ. 0.0D0,
     &           'pvmfprecv data')

! Nothing with tag 77 yet: nrecv and probe say 0, trecv waits and
! says 0. Then the slave sends two.
      CALL PVMFNRECV(-1, 77, BUFID)
      CALL CHECK(BUFID .EQ. 0, 'pvmfnrecv with nothing there')
      CALL PVMFPROBE(-1, 77, BUFID)
      CALL CHECK(BUFID .EQ. 0, 'pvmfprobe with nothing there')
      CALL SYSTEM_CLOCK(T0, RATE)
      CALL PVMFTRECV(-1, 77, 0, 300000, BUFID)
      CALL SYSTEM_CLOCK(T1)
      CALL CHECK(BUFID .EQ. 0 .AND. (T1 - T0) * 1000 .GE. 250 * RATE,
     &           'pvmftrecv waits for its time-out')
      CALL PVMFINITSEND(PVMDEFAULT, BUFID)
      CALL PVMFSEND(TIDS(2), 8, INFO)
      BUFID = 0
      DO 30 K = 1, 200
          CALL PVMFPROBE(-1, 77, BUFID)
          IF (BUFID .GT. 0) GOTO 31
! A time-out on a tag nobody sends is a 50 ms sleep.
          CALL PVMFTRECV(-1, 12345, 0, 50000, B2)
   30 CONTINUE
   31 CALL CHECK(BUFID .GT. 0, 'pvmfprobe sees the message')
      CALL PVMFBUFINFO(BUFID, BYTES, TAG, SRC, INFO)
      CALL CHECK(TAG .EQ. 77 .AND. SRC .EQ. TIDS(2),
     &           'pvmfbufinfo of a probed message')
      CALL PVMFNRECV(-1, 77, B2)
      X = 0
      CALL PVMFUNPACK(INTEGER4, X, 1, 1, INFO)
      CALL CHECK(B2 .EQ. BUFID .AND. X .EQ. 1,
     &           'pvmfnrecv takes the probed message')
      CALL PVMFTRECV(TIDS(2), 77, 10, 0, BUFID)
      CALL PVMFUNPACK(INTEGER4, X, 1, 1, INFO)
      CALL CHECK(BUFID .GT. 0 .AND. X .EQ. 2, 'pvmftrecv in order')

! pvmftasks, one task per call: this task and both slaves.
      NTASK = -1
      NFOUND = 0
      CALL PVMFTASKS(0, NTASK, TID, PTID, DTID, FLAG, AOUT, INFO)
      CALL CHECK(INFO .EQ. 1 .AND. NTASK .GE. 3, 'pvmftasks(0)')
      N = NTASK
      DO 40 K = 1, N
          IF (K .GT. 1) CALL PVMFTASKS(0, NTASK, TID, PTID, DTID, FLAG,
     &                                 AOUT, INFO)
          IF (TID .EQ. ME .AND. PTID .EQ. 0 .AND. DTID .EQ. MYHOST)
     &        NFOUND = NFOUND + 1
          IF ((TID .EQ. TIDS(1) .OR. TID .EQ. TIDS(2)) .AND.
     &        PTID .EQ. ME .AND. DTID .EQ. MYHOST .AND.
     &        INDEX(AOUT, 'fslave') .GT. 0) NFOUND = NFOUND + 1
   40 CONTINUE
      CALL CHECK(NFOUND .EQ. 3, 'pvmftasks lists master and slaves')
      NTASK = -1
      CALL PVMFTASKS(TIDS(1), NTASK, TID, PTID, DTID, FLAG, AOUT, INFO)
      CALL CHECK(INFO .EQ. 1 .AND. NTASK .EQ. 1 .AND. TID .EQ. TIDS(1),
     &           'pvmftasks of one tid')

! Signals, then notify and kill.
      CALL PVMFSENDSIG(TIDS(2), 18, INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmfsendsig (SIGCONT)')
      CALL PVMFNOTIFY(PvmTaskExit, 50, 1, TIDS(2), INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmfnotify PvmTaskExit')
      CALL PVMFKILL(TIDS(2), INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmfkill')
      CALL PVMFTRECV(-1, 50, 10, 0, BUFID)
      DEAD = 0
      CALL PVMFUNPACK(INTEGER4, DEAD, 1, 1, INFO)
      CALL CHECK(BUFID .GT. 0 .AND. DEAD .EQ. TIDS(2),
     &           'the notify message names the killed task')
      CALL PVMFPSTAT(TIDS(2), STATUS)
      CALL CHECK(STATUS .EQ. PvmNoTask, 'pvmfpstat of a killed task')

! The other slave stops when told; its exit is awaited the same way.
      CALL PVMFNOTIFY(PvmTaskExit, 51, 1, TIDS(1), INFO)
      CALL PVMFINITSEND(PVMDEFAULT, BUFID)
      CALL PVMFSEND(TIDS(1), 99, INFO)
      CALL PVMFTRECV(-1, 51, 10, 0, BUFID)
      CALL CHECK(BUFID .GT. 0, 'the slave exits when told')
      CALL PVMFEXIT(INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmfexit')
      CALL FINISH('fmessages')
      END
