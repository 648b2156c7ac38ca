-- The speed of the request register (issue 11): tables 三 / 四 of a year in one pass over one
-- index. Store::register_tables groups the agency's cases by applicant type and outcome: with
-- the index in that order the database groups as it reads (no sort of the year's cases), and
-- within a group the cases come in received-date, then 编号 order. It replaces
-- register_cases_year of 0005 (an index more would slow every import).
DROP INDEX register_cases_year;
CREATE INDEX register_cases_cells ON register_cases
    (agency_id, applicant_type, outcome, received, number, answered, excluded);
-- The cases not counted (their events are not a valid sequence): few, found without a scan.
CREATE INDEX register_cases_excluded ON register_cases
    (agency_id, received, number, answered, excluded) WHERE excluded IS NOT NULL;
-- The pages' list of an agency's cases, newest first, 100 a page (Store::register_page): read in
-- index order and stopped at the page, not the agency's cases sorted on every request.
CREATE INDEX register_cases_received ON register_cases (agency_id, received, number);
