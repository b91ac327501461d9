"""Gabbi fixtures for running upstream Placement's functional YAML files against a live server.

The classes have the names upstream's YAML files list under ``fixtures:`` (upstream's
``placement/tests/functional/fixtures/gabbits.py`` at 8.0.0). Upstream's fixtures create their
data with Placement's DB objects in-process; these re-create the same data through the public
REST API of the server under test, in the same order (so provider generations come out the
same), and export the same environment variables.

The runner starts a fresh server on an empty database for every YAML file and sets
``live_fixtures.BASE_URL`` before the file's fixtures start; the server's configuration (CORS)
is chosen by the runner from the file's fixture names.

Equivalences with upstream's DB helpers (placement/tests/functional/db/test_base.py):
* ``create_provider(name, *aggs, parent=, uuid=)``: POST /resource_providers (1.20), then the
  aggregates with PUT .../aggregates at 1.18, which, like ``rp.set_aggregates()``, does not bump
  the provider generation. Upstream names providers' UUIDs with ``uuidsentinel`` (random per
  process); here they are random uuid4s too.
* ``add_inventory(rp, rc, total, **kw)``: ensures a custom class (PUT /resource_classes/X at
  1.7), then POST .../inventories with ``max_unit`` defaulting to ``total`` (the DB helper's
  default; the REST default would be 2147483647). One generation bump per call, as upstream.
* ``set_traits(rp, *traits)``: ensures custom traits (PUT /traits/X), PUT .../traits.
* ``ensure_consumer`` + ``set_allocation``: PUT /allocations/{consumer} at 1.28 with
  ``consumer_generation: null``; the consumer gets no consumer type, generation 1, as upstream.
"""

import http.client
import json
import os
import urllib.parse
import uuid as uuidlib

from gabbi import fixture

# Set by the runner before the fixtures of a file are started.
BASE_URL = None

ADMIN_HEADERS = {
    'x-auth-token': 'admin',
    'accept': 'application/json',
}


class SeedError(Exception):
    pass


def new_uuid():
    return str(uuidlib.uuid4())


class Client(object):
    """Minimal JSON client for seeding (stdlib only; one connection per request)."""

    def __init__(self, base_url):
        parts = urllib.parse.urlsplit(base_url)
        self.host = parts.hostname
        self.port = parts.port or 80
        self.prefix = parts.path.rstrip('/')

    def request(self, method, path, body=None, version='1.20', expect=None):
        headers = dict(ADMIN_HEADERS)
        headers['openstack-api-version'] = 'placement %s' % version
        data = None
        if body is not None:
            data = json.dumps(body).encode('utf-8')
            headers['content-type'] = 'application/json'
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.request(method, self.prefix + path, body=data, headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
            status = resp.status
        finally:
            conn.close()
        if expect is not None and status not in expect:
            raise SeedError('seeding %s %s (placement %s) -> %d (expected %s): %s'
                            % (method, path, version, status,
                               '/'.join(str(e) for e in expect),
                               raw[:500].decode('utf-8', 'replace')))
        if raw and status != 204:
            try:
                return status, json.loads(raw)
            except ValueError:
                return status, raw
        return status, None


class Provider(object):
    def __init__(self, name, uuid):
        self.name = name
        self.uuid = uuid


class Seeder(object):
    """REST equivalents of upstream's placement.tests.functional.db.test_base helpers."""

    def __init__(self, base_url):
        self.client = Client(base_url)
        self._known_rcs = set()
        self._known_traits = set()

    def _generation(self, rp):
        _, body = self.client.request(
            'GET', '/resource_providers/%s' % rp.uuid, expect=(200,))
        return body['generation']

    def create_provider(self, name, *aggs, **kwargs):
        parent = kwargs.get('parent')
        rp_uuid = kwargs.get('uuid') or new_uuid()
        body = {'name': name, 'uuid': rp_uuid}
        if parent:
            body['parent_provider_uuid'] = parent
        self.client.request('POST', '/resource_providers', body,
                            version='1.20', expect=(200,))
        rp = Provider(name, rp_uuid)
        if aggs:
            self.set_aggregates(rp, list(aggs))
        return rp

    def set_aggregates(self, rp, aggs):
        # 1.18: list body, no generation check and no generation bump, like
        # ResourceProvider.set_aggregates(increment_generation=False).
        self.client.request('PUT', '/resource_providers/%s/aggregates' % rp.uuid,
                            list(aggs), version='1.18', expect=(200,))

    def ensure_rc(self, name):
        if not name.startswith('CUSTOM_') or name in self._known_rcs:
            return
        self.client.request('PUT', '/resource_classes/%s' % name,
                            version='1.7', expect=(201, 204))
        self._known_rcs.add(name)

    def ensure_trait(self, name):
        if not name.startswith('CUSTOM_') or name in self._known_traits:
            return
        self.client.request('PUT', '/traits/%s' % name, version='1.6',
                            expect=(201, 204))
        self._known_traits.add(name)

    def add_inventory(self, rp, rc, total, **kwargs):
        self.ensure_rc(rc)
        kwargs.setdefault('max_unit', total)
        body = {'resource_class': rc, 'total': total,
                'resource_provider_generation': self._generation(rp)}
        body.update(kwargs)
        self.client.request('POST', '/resource_providers/%s/inventories' % rp.uuid,
                            body, version='1.20', expect=(201,))

    def set_traits(self, rp, *traits):
        for t in traits:
            self.ensure_trait(t)
        body = {'traits': list(traits),
                'resource_provider_generation': self._generation(rp)}
        self.client.request('PUT', '/resource_providers/%s/traits' % rp.uuid,
                            body, version='1.6', expect=(200,))

    def set_allocation(self, rp, consumer_uuid, used, user_id, project_id):
        body = {
            'allocations': {rp.uuid: {'resources': dict(used)}},
            'project_id': project_id,
            'user_id': user_id,
            'consumer_generation': None,
        }
        self.client.request('PUT', '/allocations/%s' % consumer_uuid, body,
                            version='1.28', expect=(204,))

    def create_resource_class(self, name):
        self.ensure_rc(name)


class _Sentinels(object):
    """Like oslo_utils.fixture.uuidsentinel: a stable random UUID per attribute name."""

    def __init__(self):
        self._names = {}

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        return self._names.setdefault(name, new_uuid())


# ---------------------------------------------------------------------------------------------
# Fixtures (same names and same data as upstream's gabbits.py at 8.0.0)
# ---------------------------------------------------------------------------------------------

class APIFixture(fixture.GabbiFixture):
    """Empty database (standard classes and traits only) and the base variables."""

    # Server configuration the runner derives from the fixture (see run_conformance.py).
    server_config = {}

    def start_fixture(self):
        if not BASE_URL:
            raise SeedError('live_fixtures.BASE_URL is not set: no server to seed')
        self.seed = Seeder(BASE_URL)
        os.environ['RP_UUID'] = new_uuid()
        os.environ['RP_NAME'] = new_uuid()
        os.environ['CUSTOM_RES_CLASS'] = 'CUSTOM_IRON_NFV'
        os.environ['PROJECT_ID'] = new_uuid()
        os.environ['USER_ID'] = new_uuid()
        os.environ['PROJECT_ID_ALT'] = new_uuid()
        os.environ['USER_ID_ALT'] = new_uuid()
        os.environ['INSTANCE_UUID'] = new_uuid()
        os.environ['MIGRATION_UUID'] = new_uuid()
        os.environ['CONSUMER_UUID'] = new_uuid()
        os.environ['PARENT_PROVIDER_UUID'] = new_uuid()
        os.environ['ALT_PARENT_PROVIDER_UUID'] = new_uuid()

    def stop_fixture(self):
        # The runner stops the server and deletes its database.
        pass


class AllocationFixture(APIFixture):
    """One provider (DISK_GB 2048 step 10 min 10 max 1000, VCPU 10) and three consumers."""

    def start_fixture(self):
        super(AllocationFixture, self).start_fixture()
        s = self.seed
        os.environ['ALT_USER_ID'] = new_uuid()
        project_id = os.environ['PROJECT_ID']
        user_id = os.environ['USER_ID']
        alt_user_id = os.environ['ALT_USER_ID']

        rp = s.create_provider(os.environ['RP_NAME'], uuid=os.environ['RP_UUID'])
        s.add_inventory(rp, 'DISK_GB', 2048, step_size=10, min_unit=10, max_unit=1000)
        s.add_inventory(rp, 'VCPU', 10, max_unit=10)

        consumer1 = new_uuid()
        s.set_allocation(rp, consumer1, {'DISK_GB': 1000}, user_id, project_id)
        os.environ['CONSUMER_0'] = consumer1

        consumer2 = new_uuid()
        s.set_allocation(rp, consumer2, {'VCPU': 6}, user_id, project_id)
        os.environ['CONSUMER_ID'] = consumer2

        alt_consumer = new_uuid()
        os.environ['ALT_CONSUMER_ID'] = alt_consumer
        s.set_allocation(rp, alt_consumer, {'DISK_GB': 20, 'VCPU': 1},
                         alt_user_id, project_id)

        os.environ['ALT_RP_UUID'] = new_uuid()
        os.environ['ALT_RP_NAME'] = new_uuid()


class SharedStorageFixture(APIFixture):
    """Two compute trees (cn -> numa -> pf) and two sharing DISK_GB providers, one aggregate."""

    def start_fixture(self):
        super(SharedStorageFixture, self).start_fixture()
        s = self.seed
        agg_uuid = new_uuid()

        cn1 = s.create_provider('cn1', agg_uuid)
        cn2 = s.create_provider('cn2', agg_uuid)
        ss = s.create_provider('ss', agg_uuid)
        ss2 = s.create_provider('ss2', agg_uuid)

        numa1_1 = s.create_provider('numa1_1', parent=cn1.uuid)
        numa1_2 = s.create_provider('numa1_2', parent=cn1.uuid)
        numa2_1 = s.create_provider('numa2_1', parent=cn2.uuid)
        numa2_2 = s.create_provider('numa2_2', parent=cn2.uuid)

        pf1_1 = s.create_provider('pf1_1', parent=numa1_1.uuid)
        pf1_2 = s.create_provider('pf1_2', parent=numa1_2.uuid)
        pf2_1 = s.create_provider('pf2_1', parent=numa2_1.uuid)
        pf2_2 = s.create_provider('pf2_2', parent=numa2_2.uuid)

        os.environ['AGG_UUID'] = agg_uuid
        os.environ['CN1_UUID'] = cn1.uuid
        os.environ['CN2_UUID'] = cn2.uuid
        os.environ['SS_UUID'] = ss.uuid
        os.environ['SS2_UUID'] = ss2.uuid
        os.environ['NUMA1_1_UUID'] = numa1_1.uuid
        os.environ['NUMA1_2_UUID'] = numa1_2.uuid
        os.environ['NUMA2_1_UUID'] = numa2_1.uuid
        os.environ['NUMA2_2_UUID'] = numa2_2.uuid
        os.environ['PF1_1_UUID'] = pf1_1.uuid
        os.environ['PF1_2_UUID'] = pf1_2.uuid
        os.environ['PF2_1_UUID'] = pf2_1.uuid
        os.environ['PF2_2_UUID'] = pf2_2.uuid

        for cn in (cn1, cn2):
            s.add_inventory(cn, 'VCPU', 24, allocation_ratio=16.0)
            s.add_inventory(cn, 'MEMORY_MB', 128 * 1024, allocation_ratio=1.5)

        s.set_traits(cn1, 'HW_CPU_X86_SSE', 'HW_CPU_X86_SSE2')
        s.add_inventory(cn2, 'DISK_GB', 2000, reserved=100, allocation_ratio=1.0)

        for shared in (ss, ss2):
            s.add_inventory(shared, 'DISK_GB', 2000, reserved=100, allocation_ratio=1.0)
            s.set_traits(shared, 'MISC_SHARES_VIA_AGGREGATE')

        for pf in (pf1_1, pf1_2, pf2_1, pf2_2):
            s.add_inventory(pf, 'SRIOV_NET_VF', 8, allocation_ratio=1.0)


class NUMAAggregateFixture(APIFixture):
    """Two compute nodes without resources, NUMA children with VCPU, sharing storage."""

    def start_fixture(self):
        super(NUMAAggregateFixture, self).start_fixture()
        s = self.seed
        aggA_uuid = new_uuid()
        aggB_uuid = new_uuid()
        aggC_uuid = new_uuid()

        cn1 = s.create_provider('cn1', aggA_uuid)
        cn2 = s.create_provider('cn2', aggA_uuid, aggB_uuid)
        ss1 = s.create_provider('ss1', aggA_uuid)
        ss2 = s.create_provider('ss2', aggC_uuid)

        numa1_1 = s.create_provider('numa1_1', aggC_uuid, parent=cn1.uuid)
        numa1_2 = s.create_provider('numa1_2', parent=cn1.uuid)
        numa2_1 = s.create_provider('numa2_1', parent=cn2.uuid)
        numa2_2 = s.create_provider('numa2_2', parent=cn2.uuid)

        os.environ['AGGA_UUID'] = aggA_uuid
        os.environ['AGGB_UUID'] = aggB_uuid
        os.environ['AGGC_UUID'] = aggC_uuid
        os.environ['CN1_UUID'] = cn1.uuid
        os.environ['CN2_UUID'] = cn2.uuid
        os.environ['SS1_UUID'] = ss1.uuid
        os.environ['SS2_UUID'] = ss2.uuid
        os.environ['NUMA1_1_UUID'] = numa1_1.uuid
        os.environ['NUMA1_2_UUID'] = numa1_2.uuid
        os.environ['NUMA2_1_UUID'] = numa2_1.uuid
        os.environ['NUMA2_2_UUID'] = numa2_2.uuid

        for numa in (numa1_1, numa1_2, numa2_1, numa2_2):
            s.add_inventory(numa, 'VCPU', 24, allocation_ratio=16.0)

        for ss in (ss1, ss2):
            s.add_inventory(ss, 'DISK_GB', 2000, reserved=100, allocation_ratio=1.0)
            s.set_traits(ss, 'MISC_SHARES_VIA_AGGREGATE')


class NUMANetworkFixture(APIFixture):
    """cn1 (NUMA nodes with FPGA/VGPU children, network agents) and cn2 (NICs with PFs)."""

    cn1 = None
    cn2 = None

    def start_fixture(self):
        super(NUMANetworkFixture, self).start_fixture()
        self.make_entities()

    def make_entities(self):
        s = self.seed
        aggA_uuid = new_uuid()
        os.environ['AGGA_UUID'] = aggA_uuid

        ss1 = s.create_provider('ss1', aggA_uuid)
        s.set_traits(ss1, 'MISC_SHARES_VIA_AGGREGATE')
        s.add_inventory(ss1, 'DISK_GB', 2000)
        os.environ['SS1_UUID'] = ss1.uuid

        # CN1
        if not self.cn1:
            self.cn1 = s.create_provider('cn1', aggA_uuid)
        s.set_aggregates(self.cn1, [aggA_uuid])
        s.set_traits(self.cn1, 'COMPUTE_VOLUME_MULTI_ATTACH')
        os.environ['CN1_UUID'] = self.cn1.uuid

        numas = []
        for i in (0, 1):
            numa = s.create_provider('numa%d' % i, parent=self.cn1.uuid)
            traits = ['HW_NUMA_ROOT']
            if i == 1:
                traits.append('CUSTOM_FOO')
            s.set_traits(numa, *traits)
            s.add_inventory(numa, 'VCPU', 4)
            numas.append(numa)
            os.environ['NUMA%d_UUID' % i] = numa.uuid
        s.add_inventory(numas[0], 'MEMORY_MB', 2048, min_unit=512, step_size=256)
        s.add_inventory(numas[1], 'MEMORY_MB', 2048, min_unit=256, max_unit=1024)
        user, proj = 'numafx-user', 'numafx-project'
        s.set_allocation(numas[0], new_uuid(), {'VCPU': 2}, user, proj)

        fpga = s.create_provider('fpga0', parent=numas[0].uuid)
        s.add_inventory(fpga, 'CUSTOM_FPGA', 1)
        os.environ['FPGA0_UUID'] = fpga.uuid

        pgpu = s.create_provider('pgpu0', parent=numas[0].uuid)
        s.add_inventory(pgpu, 'VGPU', 8)
        os.environ['PGPU0_UUID'] = pgpu.uuid

        for i in (0, 1):
            fpga = s.create_provider('fpga1_%d' % i, parent=numas[1].uuid)
            s.add_inventory(fpga, 'CUSTOM_FPGA', 1)
            os.environ['FPGA1_%d_UUID' % i] = fpga.uuid

        agent = s.create_provider('sriov_agent', parent=self.cn1.uuid)
        s.set_traits(agent, 'CUSTOM_VNIC_TYPE_DIRECT')
        os.environ['SRIOV_AGENT_UUID'] = agent.uuid

        for i in (1, 2):
            dev = s.create_provider('esn%d' % i, parent=agent.uuid)
            s.set_traits(dev, 'CUSTOM_PHYSNET%d' % i)
            s.add_inventory(dev, 'NET_BW_EGR_KILOBIT_PER_SEC', 10000 * i)
            os.environ['ESN%d_UUID' % i] = dev.uuid

        agent = s.create_provider('ovs_agent', parent=self.cn1.uuid)
        s.set_traits(agent, 'CUSTOM_VNIC_TYPE_NORMAL')
        os.environ['OVS_AGENT_UUID'] = agent.uuid

        dev = s.create_provider('br_int', parent=agent.uuid)
        s.set_traits(dev, 'CUSTOM_PHYSNET0')
        s.add_inventory(dev, 'NET_BW_EGR_KILOBIT_PER_SEC', 1000)
        os.environ['BR_INT_UUID'] = dev.uuid

        # CN2
        if not self.cn2:
            self.cn2 = s.create_provider('cn2')
        s.set_aggregates(self.cn2, [aggA_uuid])
        s.add_inventory(self.cn2, 'VCPU', 8)
        s.set_allocation(self.cn2, new_uuid(), {'VCPU': 3}, user, proj)
        s.add_inventory(self.cn2, 'MEMORY_MB', 2048, min_unit=1024, step_size=128)
        s.add_inventory(self.cn2, 'DISK_GB', 1000)
        s.set_traits(self.cn2, 'CUSTOM_FOO')
        os.environ['CN2_UUID'] = self.cn2.uuid

        nics = []
        for i in (1, 2, 3):
            nic = s.create_provider('nic%d' % i, parent=self.cn2.uuid)
            s.set_traits(nic, 'CUSTOM_HW_NIC_ROOT')
            nics.append(nic)
            os.environ['NIC%s_UUID' % i] = nic.uuid
        for i in (1, 2):
            suf = '1_%d' % i
            pf = s.create_provider('pf%s' % suf, parent=nics[0].uuid)
            s.set_traits(pf, 'CUSTOM_PHYSNET%d' % i)
            s.add_inventory(pf, 'CUSTOM_VF', 4)
            os.environ['PF%s_UUID' % suf] = pf.uuid
        for i in (0, 1, 2, 3):
            suf = '2_%d' % (i + 1)
            pf = s.create_provider('pf%s' % suf, parent=nics[1].uuid)
            s.set_traits(pf, 'CUSTOM_PHYSNET%d' % ((i % 2) + 1))
            s.add_inventory(pf, 'CUSTOM_VF', 2)
            os.environ['PF%s_UUID' % suf] = pf.uuid
        suf = '3_1'
        pf = s.create_provider('pf%s' % suf, parent=nics[2].uuid)
        s.set_traits(pf, 'CUSTOM_PHYSNET1')
        s.add_inventory(pf, 'CUSTOM_VF', 8)
        os.environ['PF%s_UUID' % suf] = pf.uuid


class DeepNUMANetworkFixture(NUMANetworkFixture):
    """NUMANetworkFixture with a grandparent and parents above cn1 and cn2."""

    def make_entities(self):
        s = self.seed
        grandparent1 = s.create_provider('gp1')
        parent1 = s.create_provider('p1', parent=grandparent1.uuid)
        parent2 = s.create_provider('p2', parent=grandparent1.uuid)
        self.cn1 = s.create_provider('cn1', parent=parent1.uuid)
        self.cn2 = s.create_provider('cn2', parent=parent2.uuid)
        super(DeepNUMANetworkFixture, self).make_entities()


class NonSharedStorageFixture(APIFixture):
    """Three compute nodes with VCPU, MEMORY_MB and local DISK_GB."""

    def start_fixture(self):
        super(NonSharedStorageFixture, self).start_fixture()
        s = self.seed
        for var in ('AGGA_UUID', 'AGGB_UUID', 'AGGC_UUID'):
            os.environ[var] = new_uuid()

        cn1 = s.create_provider('cn1')
        cn2 = s.create_provider('cn2')
        cn3 = s.create_provider('cn3')
        os.environ['CN1_UUID'] = cn1.uuid
        os.environ['CN2_UUID'] = cn2.uuid
        os.environ['CN3_UUID'] = cn3.uuid

        for cn in (cn1, cn2, cn3):
            s.add_inventory(cn, 'VCPU', 24)
            s.add_inventory(cn, 'MEMORY_MB', 128 * 1024)
            s.add_inventory(cn, 'DISK_GB', 2000)


class CORSFixture(APIFixture):
    """APIFixture on a server configured with CORS (the runner starts it so configured)."""

    server_config = {
        'cors_allowed_origin': 'http://valid.example.com',
        'cors_allow_headers': 'openstack-api-version',
    }


class GranularFixture(APIFixture):
    """cn_left / cn_middle / cn_right plus sharing disk and network providers."""

    def start_fixture(self):
        super(GranularFixture, self).start_fixture()
        s = self.seed
        uuids = _Sentinels()

        s.create_resource_class('CUSTOM_NET_MBPS')

        os.environ['AGGA'] = uuids.aggA
        os.environ['AGGB'] = uuids.aggB
        os.environ['AGGC'] = uuids.aggC

        cn_left = s.create_provider('cn_left', uuids.aggA)
        os.environ['CN_LEFT'] = cn_left.uuid
        s.add_inventory(cn_left, 'VCPU', 8)
        s.add_inventory(cn_left, 'MEMORY_MB', 4096)
        s.add_inventory(cn_left, 'DISK_GB', 500)
        s.add_inventory(cn_left, 'VGPU', 8)
        s.add_inventory(cn_left, 'SRIOV_NET_VF', 8)
        s.add_inventory(cn_left, 'CUSTOM_NET_MBPS', 4000)
        s.set_traits(cn_left, 'HW_CPU_X86_AVX', 'HW_CPU_X86_AVX2',
                     'HW_GPU_API_DXVA', 'HW_NIC_DCB_PFC', 'CUSTOM_FOO')

        cn_middle = s.create_provider('cn_middle', uuids.aggA, uuids.aggB)
        os.environ['CN_MIDDLE'] = cn_middle.uuid
        s.add_inventory(cn_middle, 'VCPU', 8)
        s.add_inventory(cn_middle, 'MEMORY_MB', 4096)
        s.add_inventory(cn_middle, 'SRIOV_NET_VF', 8)
        s.add_inventory(cn_middle, 'CUSTOM_NET_MBPS', 4000)
        s.set_traits(cn_middle, 'HW_CPU_X86_AVX', 'HW_CPU_X86_AVX2',
                     'HW_CPU_X86_SSE', 'HW_NIC_ACCEL_TLS')

        cn_right = s.create_provider('cn_right', uuids.aggB, uuids.aggC)
        os.environ['CN_RIGHT'] = cn_right.uuid
        s.add_inventory(cn_right, 'VCPU', 8)
        s.add_inventory(cn_right, 'MEMORY_MB', 4096)
        s.add_inventory(cn_right, 'DISK_GB', 500)
        s.add_inventory(cn_right, 'VGPU', 8, max_unit=2)
        s.set_traits(cn_right, 'HW_CPU_X86_MMX', 'HW_GPU_API_DXVA', 'CUSTOM_DISK_SSD')

        shr_disk_1 = s.create_provider('shr_disk_1', uuids.aggA)
        os.environ['SHR_DISK_1'] = shr_disk_1.uuid
        s.add_inventory(shr_disk_1, 'DISK_GB', 1000)
        s.set_traits(shr_disk_1, 'MISC_SHARES_VIA_AGGREGATE', 'CUSTOM_DISK_SSD')

        shr_disk_2 = s.create_provider('shr_disk_2', uuids.aggA, uuids.aggB)
        os.environ['SHR_DISK_2'] = shr_disk_2.uuid
        s.add_inventory(shr_disk_2, 'DISK_GB', 1000)
        s.set_traits(shr_disk_2, 'MISC_SHARES_VIA_AGGREGATE')

        shr_net = s.create_provider('shr_net', uuids.aggC)
        os.environ['SHR_NET'] = shr_net.uuid
        s.add_inventory(shr_net, 'SRIOV_NET_VF', 16)
        s.add_inventory(shr_net, 'CUSTOM_NET_MBPS', 40000)
        s.set_traits(shr_net, 'MISC_SHARES_VIA_AGGREGATE')


class NeutronQoSMultiSegmentFixture(APIFixture):
    """Four compute trees simulating Neutron QoS (bandwidth, packet rate) on multisegment nets."""

    def _compute(self, idx, bw, br_ex_physnets, pf_physnets):
        """One compute tree; ``br_ex_physnets``/``pf_physnets``: [(suffix, physnet), ...]."""
        s = self.seed
        name = 'compute%d' % idx
        compute = s.create_provider(name)
        os.environ[name] = compute.uuid
        s.add_inventory(compute, 'VCPU', 8)
        s.add_inventory(compute, 'MEMORY_MB', 4096)
        s.add_inventory(compute, 'DISK_GB', 500)

        ovs_agent = s.create_provider('%s:Open vSwitch agent' % name, parent=compute.uuid)
        os.environ['%s:ovs_agent' % name] = ovs_agent.uuid
        s.add_inventory(ovs_agent, 'NET_PACKET_RATE_KILOPACKET_PER_SEC', 1000)
        s.set_traits(ovs_agent, 'CUSTOM_VNIC_TYPE_NORMAL')

        for suffix, physnet in br_ex_physnets:
            br = s.create_provider('%s:Open vSwitch agent:br-%s' % (name, suffix.replace('_', '-')),
                                   parent=ovs_agent.uuid)
            os.environ['%s:br_%s' % (name, suffix)] = br.uuid
            s.add_inventory(br, 'NET_BW_EGR_KILOBIT_PER_SEC', bw)
            s.add_inventory(br, 'NET_BW_IGR_KILOBIT_PER_SEC', bw)
            s.set_traits(br, 'CUSTOM_VNIC_TYPE_NORMAL', physnet)

        sriov_agent = s.create_provider('%s:NIC Switch agent' % name, parent=compute.uuid)
        s.set_traits(sriov_agent, 'CUSTOM_VNIC_TYPE_DIRECT',
                     'CUSTOM_VNIC_TYPE_DIRECT_PHYSICAL', 'CUSTOM_VNIC_TYPE_MACVTAP')

        for pf_idx, physnet in pf_physnets:
            pf = s.create_provider('%s:NIC Switch agent:enp129s0f%d' % (name, pf_idx),
                                   parent=sriov_agent.uuid)
            os.environ['%s:pf%d' % (name, pf_idx)] = pf.uuid
            pf_bw = 10000 if bw == 5000 else bw
            s.add_inventory(pf, 'NET_BW_EGR_KILOBIT_PER_SEC', pf_bw)
            s.add_inventory(pf, 'NET_BW_IGR_KILOBIT_PER_SEC', pf_bw)
            s.set_traits(pf, 'CUSTOM_VNIC_TYPE_DIRECT', 'CUSTOM_VNIC_TYPE_DIRECT_PHYSICAL',
                         'CUSTOM_VNIC_TYPE_MACVTAP', physnet)
        return compute, sriov_agent

    def start_fixture(self):
        super(NeutronQoSMultiSegmentFixture, self).start_fixture()
        _, sriov0 = self._compute(0, 5000, [('ex', 'CUSTOM_PHYSNET_OTHER')],
                                  [(0, 'CUSTOM_PHYSNET_OTHER')])
        os.environ['compute0:sriov_agent'] = sriov0.uuid
        _, sriov1 = self._compute(1, 5000, [('ex', 'CUSTOM_PHYSNET_MSN_S1')],
                                  [(0, 'CUSTOM_PHYSNET_MSN_S1')])
        os.environ['compute1:sriov_agent'] = sriov1.uuid
        _, sriov2 = self._compute(2, 5000, [('ex', 'CUSTOM_PHYSNET_MSN_S2')],
                                  [(0, 'CUSTOM_PHYSNET_MSN_S2')])
        os.environ['compute2:sriov_agent'] = sriov2.uuid
        self._compute(3, 1000,
                      [('ex', 'CUSTOM_PHYSNET_MSN_S1'), ('ex2', 'CUSTOM_PHYSNET_MSN_S2')],
                      [(0, 'CUSTOM_PHYSNET_MSN_S1'), (1, 'CUSTOM_PHYSNET_MSN_S2')])
        # Upstream sets compute3:sriov_agent to compute2's agent (a copy/paste slip in
        # gabbits.py); reproduce it, no YAML uses the variable.
        os.environ['compute3:sriov_agent'] = sriov2.uuid


# Fixtures that only change policy configuration (for the *-policy / *-rbac files, which the
# runner does not cover): defined so that such files can still be loaded if selected.
class OpenPolicyFixture(APIFixture):
    server_config = {'policy': 'open'}


class SecureRBACPolicyFixture(APIFixture):
    server_config = {'policy': 'secure-rbac'}


class LegacyRBACPolicyFixture(APIFixture):
    pass
