// The trace readers: the Alibaba v2023 columns and our native CSV, and errors that name
// file:line and the column instead of crashing.
#include <catch2/catch.hpp>

#include <sstream>

#include "scheduler/sim/alibaba_trace.hpp"
#include "scheduler/sim/native_trace.hpp"

using namespace ::vgpu::scheduler::sim;

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const TraceError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

SCENARIO("the Alibaba node and pod lists are read by column name", "[scheduler][sim][trace]") {
  GIVEN("a node list and a pod list in the trace's layout") {
    std::istringstream nodes(
        "sn,cpu_milli,memory_mib,gpu,model\n"
        "openb-node-0000,64000,262144,2,P100\n"
        "openb-node-0001,96000,786432,0,\n");
    std::istringstream pods(
        "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
        "deletion_time,scheduled_time\n"
        "openb-pod-0000,12000,16384,1,460,,LS,Running,0,12537496,0\n"
        "openb-pod-0001,6000,12288,8,1000,V100M16|V100M32,BE,Succeeded,427061,427436,427061\n"
        "openb-pod-0002,4000,15258,0,0,,LS,Pending,9,,\n");
    WHEN("they are read") {
      const ClusterSpec c = read_alibaba_nodes(nodes, "nodes.csv");
      const Workload w = read_alibaba_pods(pods, "pods.csv");
      THEN("every field lands where it belongs") {
        REQUIRE(c.hosts.size() == 2);
        CHECK(c.hosts[0].name == "openb-node-0000");
        CHECK(c.hosts[0].cpu_milli == 64000);
        CHECK(c.hosts[0].memory_mib == 262144);
        CHECK(c.hosts[0].gpus == 2);
        CHECK(c.hosts[0].model == "P100");
        CHECK(c.hosts[1].gpus == 0);
        CHECK(c.gpu_count() == 2);
        REQUIRE(w.requests.size() == 3);
        CHECK(w.requests[0].gpu_milli == 460);
        CHECK(w.requests[0].gpu_demand_milli() == 460);
        CHECK(w.requests[1].gpu_spec == std::vector<std::string>{"V100M16", "V100M32"});
        CHECK(w.requests[1].gpu_demand_milli() == 8000);
        CHECK(w.requests[1].arrival == 427061);
        CHECK(w.requests[1].departure == 427436);
        CHECK_FALSE(w.requests[2].departure.has_value());
      }
    }
  }
  GIVEN("the five-column multigpu layout") {
    std::istringstream pods("name,cpu_milli,memory_mib,num_gpu,gpu_milli\np1,1000,10,2,1000\n");
    THEN("it is read too") { CHECK(read_alibaba_pods(pods, "m.csv").requests.size() == 1); }
  }
}

TEST_CASE("malformed trace lines are refused with file:line and the column",
          "[scheduler][sim][trace]") {
  struct Case {
    const char* text;
    const char* expected;
  };
  const Case cases[] = {
      {"name,cpu_milli,memory_mib,num_gpu,gpu_milli\np1,12x,10,1,500\n",
       "pods.csv:2: column 'cpu_milli': '12x' is not an integer"},
      {"name,cpu_milli,memory_mib,num_gpu,gpu_milli\np1,1000,10,1,1500\n",
       "pods.csv:2: column 'gpu_milli': 1500 is outside 0..1000"},
      {"name,cpu_milli,memory_mib,num_gpu,gpu_milli\n\np1,1000,10,2,500\n",
       "pods.csv:3: a multi-GPU pod must ask whole GPUs (gpu_milli 1000), got 500"},
      {"name,cpu_milli,memory_mib,num_gpu\np1,1,1,1\n", "pods.csv:1: missing column 'gpu_milli' (header: name,cpu_milli,memory_mib,num_gpu)"},
      {"name,cpu_milli,memory_mib,num_gpu,gpu_milli\np1,1000,,1,500\n",
       "pods.csv:2: column 'memory_mib' is empty (an integer is needed)"},
      {"", "pods.csv:0: no header row (empty file)"},
      {"name,cpu_milli,memory_mib,num_gpu,gpu_milli\n\"p1\",1,1,0,0\n",
       "pods.csv:2: quoted fields are not supported"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    std::istringstream in(c.text);
    CHECK(error_of([&] { read_alibaba_pods(in, "pods.csv"); }) == c.expected);
  }
  std::istringstream nodes("sn,cpu_milli,memory_mib,gpu,model\nn1,1000,10,4,\n");
  CHECK(error_of([&] { read_alibaba_nodes(nodes, "n.csv"); }) ==
        "n.csv:2: a node with GPUs needs a 'model'");
}

SCENARIO("the native format: hosts with boards, requests with share or profile and times",
         "[scheduler][sim][trace]") {
  std::istringstream hosts("name,cpu_milli,memory_mib,gpus,model\nh1,64000,262144,4,A40\n");
  std::istringstream requests(
      "name,cpu_milli,memory_mib,num_gpu,gpu_milli,profile,arrival,departure\n"
      "vm1,4000,16384,1,250,,0,3600\n"
      "vm2,8000,32768,1,,A40-12Q,10,\n");
  const ClusterSpec c = read_native_hosts(hosts, "hosts.csv");
  const Workload w = read_native_requests(requests, "requests.csv");
  REQUIRE(c.hosts.size() == 1);
  CHECK(c.hosts[0].model == "A40");
  REQUIRE(w.requests.size() == 2);
  CHECK(w.requests[0].gpu_milli == 250);
  CHECK(w.requests[0].departure == 3600);
  CHECK(w.requests[1].profile == "A40-12Q");
  CHECK(w.requests[1].arrival == 10);
  CHECK_FALSE(w.requests[1].departure.has_value());

  std::istringstream bad("name,cpu_milli,memory_mib,num_gpu,gpu_milli,profile,arrival,departure\n"
                         "vm1,4000,16384,1,,,0,3600\n");
  CHECK(error_of([&] { read_native_requests(bad, "r.csv"); }) ==
        "r.csv:2: num_gpu > 0 needs gpu_milli (1..1000) or a profile");
  std::istringstream early("name,cpu_milli,memory_mib,num_gpu,gpu_milli,arrival,departure\n"
                           "vm1,1,1,0,,50,10\n");
  CHECK(error_of([&] { read_native_requests(early, "r.csv"); }) ==
        "r.csv:2: departure before arrival");
}
