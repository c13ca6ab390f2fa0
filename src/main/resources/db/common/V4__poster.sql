-- 1 once a poster image of the first sample is stored (videos/<task>/poster.jpg).
ALTER TABLE tasks ADD COLUMN poster INTEGER NOT NULL DEFAULT 0;
