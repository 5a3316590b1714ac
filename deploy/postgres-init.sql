-- Runs once, when the postgres volume is created: a role and a database for the DuckLake catalog
-- (Prefect keeps its own database, `prefect`).
CREATE ROLE lagebild LOGIN PASSWORD 'lagebild';
CREATE DATABASE lagebild OWNER lagebild;
