! hello_other.f - the greeter spawned by hello.f: sends its parent a
! greeting with the name of its host.
      PROGRAM HOTHER
      INCLUDE 'fpvm3.h'
      CHARACTER*100 HOST
      CHARACTER*200 TEXT
      INTEGER PARENT, INFO, N

      CALL PVMFPARENT(PARENT)
! HOSTNM is a GNU Fortran extension, as gethostname() is for C.
      CALL HOSTNM(HOST)
      TEXT = 'hello, world from ' // HOST
      N = LEN_TRIM(TEXT)
! A Fortran string has no end marker: its length goes first.
      CALL PVMFINITSEND(PVMDEFAULT, INFO)
      CALL PVMFPACK(INTEGER4, N, 1, 1, INFO)
      CALL PVMFPACK(STRING, TEXT, N, 1, INFO)
      CALL PVMFSEND(PARENT, 1, INFO)
      CALL PVMFEXIT(INFO)
      END
