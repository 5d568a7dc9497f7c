-- The owners' body's share of fee income per compound (seed 004 三（一）: "物业公司要从物业费中提取
-- 6-10%用于业主委员会的工作经费"), as agreed for the compound, in hundredths of a percent (600 =
-- 6 %, 1000 = 10 %). A compound without a row uses the configured default; a compound without
-- an owners' body has no share at all. One row per compound, replaced (and audited) when the
-- agreement changes.
CREATE TABLE compound_owners_shares (
    compound_id BIGINT PRIMARY KEY REFERENCES compounds (id),
    percent_e2 BIGINT NOT NULL CHECK (percent_e2 BETWEEN 600 AND 1000),
    agreed_on TEXT NOT NULL,
    note TEXT,
    actor TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
