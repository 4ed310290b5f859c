-- wrk script: cycles through the request paths listed, one per line, in the file named by
-- $WRK_PATHS. Each wrk thread starts at its own place in the list, so the threads do not
-- ask for the same path at the same moment.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end
assert(#paths > 0, "no paths in " .. tostring(os.getenv("WRK_PATHS")))

local threads = 0
function setup(thread)
  thread:set("thread_no", threads)
  threads = threads + 1
end

local next_index
function init(args)
  next_index = (thread_no or 0) * 7919 % #paths
end

-- With $WRK_CLOSE set, each request on a new connection (as visitors arriving do).
local headers = os.getenv("WRK_CLOSE") and { ["Connection"] = "close" } or nil

function request()
  next_index = next_index % #paths + 1
  return wrk.format("GET", paths[next_index], headers)
end
