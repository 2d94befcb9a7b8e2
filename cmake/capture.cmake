# cmake -DOUT=FILE -DCMD="prog;arg;..." -P cmake/capture.cmake
# Runs CMD and writes its standard output to OUT (build-time generated files
# such as the completion scripts, without relying on shell redirection).
execute_process(COMMAND ${CMD} OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "${CMD}: exit ${rc}")
endif()
file(RENAME ${OUT}.tmp ${OUT})
