-- Anju schema, sqlite. Never edit a migration once it has landed: add a new one.
-- Conventions: money BIGINT fen, areas BIGINT hundredths of m², dates TEXT 'YYYY-MM-DD',
-- timestamps TEXT RFC 3339 UTC, coordinates BIGINT micro-degrees, enums TEXT codes,
-- flags INTEGER 0/1. Nothing is ever deleted (triggers below refuse it).

-- 市 → 区/县/旗 → 街道/镇 → 社区
CREATE TABLE regions (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES regions (id),
    level TEXT NOT NULL CHECK (level IN ('city', 'district', 'street', 'community')),
    name TEXT NOT NULL CHECK (name <> ''),
    code TEXT,
    created_at TEXT NOT NULL
);
-- NULL parents must collide too, hence the expression.
CREATE UNIQUE INDEX regions_parent_level_name ON regions (COALESCE(parent_id, 0), level, name);
CREATE INDEX regions_level_name ON regions (level, name);

-- 物业服务企业
CREATE TABLE companies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    credit_code TEXT UNIQUE CHECK (credit_code IS NULL OR length(credit_code) = 18),
    contact_person TEXT,
    phone TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- 小区, as the census ledger (台账) keeps it.
CREATE TABLE compounds (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (name <> ''),
    street_id INTEGER NOT NULL REFERENCES regions (id),
    community_id INTEGER REFERENCES regions (id),
    address TEXT,
    built_year INTEGER,
    area INTEGER CHECK (area >= 0),
    area_multi INTEGER CHECK (area_multi >= 0),
    area_high INTEGER CHECK (area_high >= 0),
    buildings INTEGER CHECK (buildings >= 0),
    households INTEGER CHECK (households >= 0),
    category INTEGER CHECK (category IN (1, 2, 3)),
    renovation INTEGER NOT NULL DEFAULT 0 CHECK (renovation IN (0, 1)),
    mode TEXT NOT NULL CHECK (mode IN ('professional', 'state_takeover', 'street_fallback', 'employer', 'neighbour', 'self_managed', 'none')),
    company_id INTEGER REFERENCES companies (id),
    owners_body TEXT NOT NULL DEFAULT 'none' CHECK (owners_body IN ('none', 'owners_committee', 'management_committee', 'environment_committee')),
    party_branch INTEGER NOT NULL DEFAULT 0 CHECK (party_branch IN (0, 1)),
    infra_cameras INTEGER NOT NULL DEFAULT 0 CHECK (infra_cameras >= 0),
    infra_chargers INTEGER NOT NULL DEFAULT 0 CHECK (infra_chargers >= 0),
    infra_water_points INTEGER NOT NULL DEFAULT 0 CHECK (infra_water_points >= 0),
    infra_unit_doors INTEGER NOT NULL DEFAULT 0 CHECK (infra_unit_doors >= 0),
    infra_bike_sheds INTEGER NOT NULL DEFAULT 0 CHECK (infra_bike_sheds >= 0),
    infra_parking_bays INTEGER NOT NULL DEFAULT 0 CHECK (infra_parking_bays >= 0),
    infra_barrier_gates INTEGER NOT NULL DEFAULT 0 CHECK (infra_barrier_gates >= 0),
    infra_property_offices INTEGER NOT NULL DEFAULT 0 CHECK (infra_property_offices >= 0),
    need_cameras INTEGER NOT NULL DEFAULT 0 CHECK (need_cameras >= 0),
    need_chargers INTEGER NOT NULL DEFAULT 0 CHECK (need_chargers >= 0),
    need_water_points INTEGER NOT NULL DEFAULT 0 CHECK (need_water_points >= 0),
    need_unit_doors INTEGER NOT NULL DEFAULT 0 CHECK (need_unit_doors >= 0),
    need_bike_sheds INTEGER NOT NULL DEFAULT 0 CHECK (need_bike_sheds >= 0),
    need_parking_bays INTEGER NOT NULL DEFAULT 0 CHECK (need_parking_bays >= 0),
    need_barrier_gates INTEGER NOT NULL DEFAULT 0 CHECK (need_barrier_gates >= 0),
    need_property_offices INTEGER NOT NULL DEFAULT 0 CHECK (need_property_offices >= 0),
    management_area TEXT,
    lat_e6 INTEGER CHECK (lat_e6 BETWEEN -90000000 AND 90000000),
    lng_e6 INTEGER CHECK (lng_e6 BETWEEN -180000000 AND 180000000),
    remarks TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((lat_e6 IS NULL) = (lng_e6 IS NULL)),
    UNIQUE (street_id, name)
);
CREATE INDEX compounds_community ON compounds (community_id);
CREATE INDEX compounds_company ON compounds (company_id);

-- 物业管理方式 history: exactly one open row (until IS NULL) per compound.
CREATE TABLE compound_modes (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compounds (id),
    mode TEXT NOT NULL CHECK (mode IN ('professional', 'state_takeover', 'street_fallback', 'employer', 'neighbour', 'self_managed', 'none')),
    since TEXT NOT NULL,
    until TEXT,
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (until IS NULL OR until >= since)
);
CREATE INDEX compound_modes_compound ON compound_modes (compound_id, since);
CREATE UNIQUE INDEX compound_modes_one_open ON compound_modes (compound_id) WHERE until IS NULL;

-- Every write: who, when, what, before and after (JSON). Append-only.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    before TEXT,
    after TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, '审计日志只能追加，不能修改');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, '审计日志只能追加，不能删除');
END;
CREATE TRIGGER regions_no_delete BEFORE DELETE ON regions
BEGIN
    SELECT RAISE(ABORT, 'regions 中的记录不能删除，只能归档');
END;
CREATE TRIGGER companies_no_delete BEFORE DELETE ON companies
BEGIN
    SELECT RAISE(ABORT, 'companies 中的记录不能删除，只能归档');
END;
CREATE TRIGGER compounds_no_delete BEFORE DELETE ON compounds
BEGIN
    SELECT RAISE(ABORT, 'compounds 中的记录不能删除，只能归档');
END;
CREATE TRIGGER compound_modes_no_delete BEFORE DELETE ON compound_modes
BEGIN
    SELECT RAISE(ABORT, 'compound_modes 中的记录不能删除，只能归档');
END;
