! fhalt.f - stops the virtual machine with pvmfhalt; the driver then
! checks that the pvmd is gone.
      PROGRAM FHALT
      INCLUDE 'fpvm3.h'
      INTEGER ME, INFO
      CALL PVMFMYTID(ME)
      CALL CHECK(ME .GT. 0, 'pvmfmytid enrolls')
      CALL PVMFHALT(INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmfhalt')
      CALL FINISH('fhalt')
      END
