# Sourced by the mysql image's entrypoint (docker-entrypoint.sh) once, on a Pod's first start,
# after it has created the root accounts and before mysqld starts for real. PRIMARY_POD,
# PRIMARY_HOST and PRIMARY_PORT come from the Pulumi program; docker_process_sql and
# MYSQL_ROOT_PASSWORD from the entrypoint.
if [ "$HOSTNAME" = "$PRIMARY_POD" ]; then
	# The primary: start the binary log afresh. Replicas ran the same initialisation
	# themselves, so they must receive only what clients write from now on.
	docker_process_sql --database=mysql <<<'RESET BINARY LOGS AND GTIDS;'
else
	# A replica: follow the primary, found by its per-Pod DNS name, by GTID position. The
	# channel starts with mysqld; from then on the replica refuses client writes.
	docker_process_sql --database=mysql <<-EOSQL
		RESET BINARY LOGS AND GTIDS;
		CHANGE REPLICATION SOURCE TO
		  SOURCE_HOST='${PRIMARY_HOST}', SOURCE_PORT=${PRIMARY_PORT},
		  SOURCE_USER='root', SOURCE_PASSWORD='${MYSQL_ROOT_PASSWORD}',
		  SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1;
		SET PERSIST super_read_only = ON;
	EOSQL
fi
