# Shared by scripts/run and scripts/test: where things are.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The project's shared data (legislation, bulk, eval) lives beside the repository.
export HRTRACK_SHARED=${HRTRACK_SHARED:-$root/../shared}
jobs=$(nproc 2>/dev/null || echo 2)
