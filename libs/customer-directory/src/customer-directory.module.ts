import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { CustomerDirectoryConsumer } from './customer-directory.consumer';
import { CustomerDirectoryController } from './customer-directory.controller';
import { CustomerDirectoryEntryEntity } from './customer-directory-entry.entity';

/** The customer directory projection a downstream service keeps in its own database. */
@Module({
  imports: [TypeOrmModule.forFeature([CustomerDirectoryEntryEntity])],
  controllers: [CustomerDirectoryConsumer, CustomerDirectoryController],
})
export class CustomerDirectoryModule {}
